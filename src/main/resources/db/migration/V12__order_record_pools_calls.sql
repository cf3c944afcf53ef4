-- A call made within a second of the order's claim or its last lease renewal goes out on that lease, without a
-- statement of its own (OrderClaims.renew), so pools_calls counts only the calls that renewed the lease. Every
-- call is counted by the pools_bridge_pools_calls metric.
COMMENT ON COLUMN order_record.pools_calls IS '0Pools calls for this order that renewed its lease (not every call: see the pools_bridge_pools_calls metric)';
