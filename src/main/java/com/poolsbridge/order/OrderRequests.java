package com.poolsbridge.order;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.pools.CallClass;
import com.poolsbridge.pools.PoolsRequest;

/** The 0Pools calls an order makes, built from its record alone (so a retry rebuilds the same bytes). */
public class OrderRequests {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** POST /pools/{id}/quote with exactly the contract's field names (docs/0pools-contract-notes.md). */
    public PoolsRequest quote(OrderRecord order) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("side", order.side());
        body.put("amount", order.amount().stripTrailingZeros().toPlainString());
        body.put("type", "firm");
        body.put("cryptoNetwork", order.cryptoNetwork());
        body.put("destAddress", order.destAddress());
        if (order.destNetwork() != null) {
            body.put("destNetwork", order.destNetwork());
        }
        return PoolsRequest.post("createQuote", "/pools/" + order.poolId() + "/quote",
                MAPPER.writeValueAsString(body), null).as(CallClass.ORDER_QUOTE);
    }

    /** POST /pools/{id}/transact: the persisted quoteId and Idempotency-Key, byte-identical on every retry. */
    public PoolsRequest transact(OrderRecord order) throws JsonProcessingException {
        return PoolsRequest.post("transact", "/pools/" + order.poolId() + "/transact",
                MAPPER.writeValueAsString(Map.of("quoteId", order.quoteId())), order.idempotencyKey()).as(CallClass.ORDER);
    }

    /** POST /pools/quotes/{quoteId}/reject: a compare-and-swap that makes the quote unable to trade, or 409. */
    public PoolsRequest rejectQuote(OrderRecord order) {
        return PoolsRequest.post("rejectQuote", "/pools/quotes/" + order.quoteId() + "/reject", null, null)
                .as(CallClass.ORDER);
    }

    /** GET /pools/quotes/{quoteId}: the quote's derived status (active, consumed, expired, rejected). */
    public PoolsRequest quoteStatus(OrderRecord order) {
        return PoolsRequest.get("getQuote", "/pools/quotes/" + order.quoteId(), null).as(CallClass.ORDER);
    }

    /** GET /pools/transactions/{quoteId}: idempotent, and it finds a trade an earlier attempt made. */
    public PoolsRequest tradeLookup(OrderRecord order) {
        return PoolsRequest.get("getTransactionByQuote", "/pools/transactions/" + order.quoteId(), null).as(CallClass.ORDER);
    }
}
