package com.poolsbridge.app;

import java.util.Map;

import com.poolsbridge.support.TestInfrastructure;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The bridge's connection pools: sized by properties, and closed by the registry when the bridge stops. */
class BridgePoolsTest {

    @Test
    void poolsAreSizedByPropertiesAndClosedWithTheBridge() throws Exception {
        Map<String, String> props = TestInfrastructure.fastRetries();
        props.put("orders.jms.max-connections", "3");
        props.put("db.max-pool-size", "7");
        BridgeApplication app = new BridgeApplication(TestInfrastructure.get().settings("http://127.0.0.1:9/v1"), props);
        Registry registry = app.start().getRegistry();
        HikariDataSource database = registry.lookupByNameAndType("dataSource", HikariDataSource.class);
        JmsPoolConnectionFactory broker = registry.lookupByNameAndType("jmsConnectionFactory", JmsPoolConnectionFactory.class);

        assertThat(broker.getMaxConnections()).isEqualTo(3);
        assertThat(broker.getMaxSessionsPerConnection()).isEqualTo(500);
        assertThat(database.getMaximumPoolSize()).isEqualTo(7);
        assertThat(broker.getNumConnections()).isPositive();

        app.close();

        assertThat(database.isClosed()).isTrue();
        assertThat(broker.getNumConnections()).isZero();
    }
}
