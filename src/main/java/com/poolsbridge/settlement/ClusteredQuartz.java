package com.poolsbridge.settlement;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * The camel-quartz component behind the settlement poller: one scheduler per replica on Quartz's clustered JDBC
 * job store in the bridge's own PostgreSQL (tables from V3__quartz.sql).
 *
 * <p>Single poller across replicas: every replica runs a scheduler, but a trigger firing is acquired under a row
 * lock by exactly one node, the job is {@code @DisallowConcurrentExecution} (stateful=true), and a crashed node's
 * firing is recovered by the others after the cluster check-in interval. Chosen over Camel's master component
 * because that needs a CamelClusterService (Kubernetes leases, ZooKeeper, Consul, JGroups, file lock …) the
 * deployment does not have; the database is already the shared, highly available state, so leadership costs no
 * new infrastructure. The due-trade queries and the settlement_event primary key keep a second concurrent poller
 * harmless anyway (one message per transition).
 */
public final class ClusteredQuartz {

    private ClusteredQuartz() {
    }

    /** Not started by itself: {@link DelayedSchedulerStart} starts it once Camel is fully up. */
    public static QuartzComponent component(DataSource dataSource, String clusterName, long checkinMs) {
        // Quartz finds its connections by name in a JVM-wide manager: one unique name per application instance
        String local = "pools-bridge-" + UUID.randomUUID().toString().substring(0, 8);
        DBConnectionManager.getInstance().addConnectionProvider(local, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the bridge's registry, which closes it
            }

            @Override
            public void initialize() {
                // nothing to set up
            }
        });
        Properties q = new Properties();
        q.setProperty("org.quartz.scheduler.instanceName", local);
        q.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        q.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        q.setProperty("org.quartz.threadPool.threadCount", "1");
        q.setProperty("org.quartz.jobStore.class", ClusteredJobStore.class.getName());
        q.setProperty("org.quartz.jobStore.clusterName", clusterName);
        q.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        q.setProperty("org.quartz.jobStore.dataSource", local);
        q.setProperty("org.quartz.jobStore.isClustered", "true");
        q.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkinMs));
        q.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        q.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(q);
        quartz.setPrefixInstanceName(false);
        quartz.setEnableJmx(false);
        quartz.setInterruptJobsOnShutdown(false);
        quartz.setAutoStartScheduler(false);
        return quartz;
    }
}
