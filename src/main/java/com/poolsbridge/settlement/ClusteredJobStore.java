package com.poolsbridge.settlement;

import org.quartz.impl.jdbcjobstore.JobStoreTX;

/**
 * Quartz's JobStoreTX whose cluster membership (SCHED_NAME in the qrtz_ tables) is the configured clusterName
 * instead of the scheduler's instance name. Quartz keeps one scheduler per instance name per JVM
 * (SchedulerRepository), so replicas that share a JVM (the two-instance test, an ESB host) need distinct local
 * names while still forming one cluster; on Kubernetes each pod has its own JVM and this changes nothing.
 */
public class ClusteredJobStore extends JobStoreTX {

    private String clusterName;

    /** Quartz bean property org.quartz.jobStore.clusterName (applied after the scheduler set its own name). */
    public void setClusterName(String clusterName) {
        this.clusterName = clusterName;
        super.setInstanceName(clusterName);
    }

    @Override
    public void setInstanceName(String instanceName) {
        super.setInstanceName(clusterName != null ? clusterName : instanceName);
    }
}
