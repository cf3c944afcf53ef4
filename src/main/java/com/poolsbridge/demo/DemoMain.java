package com.poolsbridge.demo;

import java.util.Arrays;

import com.poolsbridge.PoolsBridge;
import com.poolsbridge.sandbox.SandboxMain;

/**
 * Entry point of target/pools-bridge-demo.jar: {@code demo} and {@code sandbox} (which need the embedded
 * infrastructure and the sandbox that the production jar leaves out); every other mode is the production entry's.
 */
public final class DemoMain {

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "run" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (mode) {
            case "demo" -> Demo.main(rest);
            case "sandbox" -> SandboxMain.main(rest);
            default -> PoolsBridge.main(args);
        }
    }
}
