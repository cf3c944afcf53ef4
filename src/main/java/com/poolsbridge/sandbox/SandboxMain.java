package com.poolsbridge.sandbox;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Standalone sandbox: {@code --port 8099 --config path} (defaults: 8099, classpath config/sandbox.yaml). */
public final class SandboxMain {
    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 8099;
        String configPath = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--config" -> configPath = args[++i];
                default -> {
                    System.err.println("usage: SandboxMain [--port 8099] [--config path/to/sandbox.yaml]");
                    System.exit(2);
                }
            }
        }
        SandboxConfig config = configPath == null ? SandboxConfig.defaults() : SandboxConfig.load(Path.of(configPath));
        PoolsSandbox sandbox = PoolsSandbox.start(config, port);
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));
        System.out.println("0Pools sandbox listening on " + sandbox.baseUrl());
        new CountDownLatch(1).await();   // run until killed
    }
}
