package com.poolsbridge.order;

import com.poolsbridge.pools.PoolsApiException;

/** Finds the failure that decides an order's fate inside the wrappers Camel adds around a bean's exception. */
final class OrderFailures {

    private OrderFailures() {
    }

    /**
     * The first exception in the cause chain that names a reason of ours (a bean called with parameters from a
     * route expression fails with Camel's RuntimeBeanExpressionException around it), else {@code e} itself.
     */
    static Exception decisive(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PoolsApiException || t instanceof LocalRejectionException
                    || t instanceof InvalidOrderException || t instanceof OrderStuckException
                    || t instanceof OutcomeUnknownException || t instanceof TradeMismatchException) {
                return (Exception) t;
            }
        }
        return e;
    }
}
