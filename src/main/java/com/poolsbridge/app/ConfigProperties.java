package com.poolsbridge.app;

import org.apache.camel.spi.PropertiesComponent;

/** Reads the bridge's properties: every key the code reads has a packaged default, so a missing one is a bug. */
public final class ConfigProperties {

    private ConfigProperties() {
    }

    public static String required(PropertiesComponent props, String key) {
        return props.resolveProperty(key).orElseThrow(() -> new IllegalStateException("missing property " + key));
    }
}
