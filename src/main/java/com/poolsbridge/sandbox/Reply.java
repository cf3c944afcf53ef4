package com.poolsbridge.sandbox;

/** A successful response: status plus the exact body bytes (kept as bytes so replays are byte-identical). */
record Reply(int status, byte[] body) {
    static Reply ok(Object body) {
        return new Reply(200, Json.write(body));
    }
}
