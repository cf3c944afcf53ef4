package com.poolsbridge.settlement;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;

/**
 * Starts this replica's Quartz scheduler settlement.start-delay-seconds after Camel is fully up, so a pod that
 * is still starting does not compete for the trigger. camel-quartz 4.x has no start delay of its own
 * (startDelayedSeconds was dropped), hence Quartz's startDelayed here.
 */
public final class DelayedSchedulerStart implements StartupListener {

    private final QuartzComponent quartz;
    private final int delaySeconds;

    public DelayedSchedulerStart(QuartzComponent quartz, int delaySeconds) {
        this.quartz = quartz;
        this.delaySeconds = delaySeconds;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the component creates its scheduler and adds the jobs in this phase
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        Scheduler scheduler = quartz.getScheduler();
        if (scheduler != null && !scheduler.isStarted()) {
            scheduler.startDelayed(delaySeconds);
        }
    }
}
