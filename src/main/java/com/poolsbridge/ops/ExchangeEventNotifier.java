package com.poolsbridge.ops;

import org.apache.camel.support.EventNotifierSupport;

/**
 * An event notifier for exchange outcomes only (completed, failed, and sent to an endpoint): Camel then skips
 * building every other event for it on the hot path.
 */
abstract class ExchangeEventNotifier extends EventNotifierSupport {

    ExchangeEventNotifier() {
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }
}
