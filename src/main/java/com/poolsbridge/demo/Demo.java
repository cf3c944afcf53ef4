package com.poolsbridge.demo;

public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("demo not built yet");
    }
}
