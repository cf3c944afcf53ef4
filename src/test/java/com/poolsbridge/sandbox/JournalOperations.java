package com.poolsbridge.sandbox;

/** The sandbox's own operation ids ({@code createQuote}, {@code transact}, …) for journal entries, for tests and benchmarks. */
public final class JournalOperations {

    private JournalOperations() {
    }

    /** The operation id the sandbox matched for this request, or {@code "other"} (admin, health, unknown paths). */
    public static String operation(RecordedRequest request) {
        String pathAndQuery = request.pathAndQuery();
        int query = pathAndQuery.indexOf('?');
        try {
            return Operation.match(request.method(), query < 0 ? pathAndQuery : pathAndQuery.substring(0, query)).op().id;
        } catch (ApiException e) {   // 404/405: not an operation
            return "other";
        }
    }
}
