package com.poolsbridge.settlement;

/** A webhook delivery refused before anything is stored: bad or missing signature, stale timestamp, bad payload. */
public class WebhookRejectedException extends RuntimeException {

    private final String code;

    public WebhookRejectedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
