package com.poolsbridge.sandbox;

public final class SandboxMain {
    private SandboxMain() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("placeholder until the sandbox branch is merged");
    }
}
