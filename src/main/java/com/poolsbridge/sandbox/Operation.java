package com.poolsbridge.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The 12 operations and the path matcher; literal segments win over {id} (funding, trades, ledger, …). */
enum Operation {
    LIST_POOLS("listPools", "GET", false),
    GET_CAPABILITIES("getCapabilities", "GET", true),
    GET_BALANCE("getBalance", "GET", true),
    GET_FUNDING("getFunding", "GET", false),
    CREATE_QUOTE("createQuote", "POST", true),
    GET_QUOTE("getQuote", "GET", false),
    REJECT_QUOTE("rejectQuote", "POST", false),
    TRANSACT("transact", "POST", true),
    GET_TRANSACTION_BY_QUOTE("getTransactionByQuote", "GET", false),
    GET_TRADE("getTrade", "GET", false),
    LIST_TRADES("listTrades", "GET", false),
    LIST_LEDGER("listLedger", "GET", false);

    final String id;
    final String method;
    final boolean entitled;   // runs the 403 access gates by default (G-4)

    Operation(String id, String method, boolean entitled) {
        this.id = id;
        this.method = method;
        this.entitled = entitled;
    }

    /** Matched operation plus its single path parameter (pool id, quote id or transact id), if any. */
    record Match(Operation op, String param) {
    }

    static Match match(String method, String rawPath) {
        List<String> s = segments(rawPath);
        Operation op = null;
        String param = null;
        if (s.size() >= 2 && s.get(0).equals("v1") && s.get(1).equals("pools")) {
            int n = s.size();
            String third = n > 2 ? s.get(2) : null;
            if (n == 2) {
                op = LIST_POOLS;
            } else if (n == 3 && third.equals("funding")) {
                op = GET_FUNDING;
            } else if (n == 3 && third.equals("trades")) {
                op = LIST_TRADES;
            } else if (n == 3 && third.equals("ledger")) {
                op = LIST_LEDGER;
            } else if (n == 4 && third.equals("trades")) {
                op = GET_TRADE;
            } else if (n == 4 && third.equals("quotes")) {
                op = GET_QUOTE;
            } else if (n == 5 && third.equals("quotes") && s.get(4).equals("reject")) {
                op = REJECT_QUOTE;
            } else if (n == 4 && third.equals("transactions")) {
                op = GET_TRANSACTION_BY_QUOTE;
            } else if (n == 4 && !isLiteral(third)) {
                op = switch (s.get(3)) {
                    case "capabilities" -> GET_CAPABILITIES;
                    case "balance" -> GET_BALANCE;
                    case "quote" -> CREATE_QUOTE;
                    case "transact" -> TRANSACT;
                    default -> null;
                };
            }
            if (op != null && n >= 4) {
                param = op == GET_CAPABILITIES || op == GET_BALANCE || op == CREATE_QUOTE || op == TRANSACT
                        ? third : s.get(3);
            }
        }
        if (op == null) {
            throw ApiException.notFound();
        }
        if (!op.method.equals(method)) {
            throw new ApiException(405, "invalid_request", "method_not_allowed",
                    "Method " + method + " is not allowed on this path");
        }
        return new Match(op, param);
    }

    private static boolean isLiteral(String segment) {
        return switch (segment) {
            case "funding", "trades", "ledger", "quotes", "transactions" -> true;
            default -> false;
        };
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                out.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
