package com.poolsbridge.order;

import java.nio.charset.StandardCharsets;

import com.poolsbridge.support.Orders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The order schema as a plain value check: what passes it must parse, and nothing from outside reaches a log raw. */
class OrderValidatorTest {

    private final OrderValidator validator = new OrderValidator();

    @Test
    void aValidOrderParsesWithItsAmountAsADecimal() {
        OrderMessage order = validator.parse(bytes(Orders.onRamp("ORD-1", "EUR-USDT", "100.00")));
        assertThat(order.amount()).isEqualByComparingTo("100.00");
    }

    @Test
    void aTrailingLineBreakIsRefusedByTheSchemaNotByBigDecimal() {
        // Java's $ matches before a final line break: "100.00\n" used to pass the schema, then fail in BigDecimal,
        // and the poison message was rolled back until the broker dropped it with no reason and no reply
        for (String json : new String[] {
                Orders.onRamp("ORD-2", "EUR-USDT", "100.00\\n"),
                Orders.onRamp("ORD-3\\n", "EUR-USDT", "100.00"),
                Orders.onRamp("ORD-4", "EUR-USDT\\n", "100.00")}) {
            assertThatThrownBy(() -> validator.parse(bytes(json)))
                    .isInstanceOf(InvalidOrderException.class)
                    .satisfies(e -> assertThat(((InvalidOrderException) e).code()).isEqualTo("schema_violation"));
        }
    }

    @Test
    void anUnknownFieldNameIsReportedWithoutItsControlCharacters() {
        String json = Orders.onRamp("ORD-5", "EUR-USDT", "100.00").replaceFirst("\\{", "{\"x\\\\r\\\\nFORGED LOG LINE\":1,");
        assertThatThrownBy(() -> validator.parse(bytes(json)))
                .isInstanceOf(InvalidOrderException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("FORGED LOG LINE").doesNotContain("\r").doesNotContain("\n"));
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
