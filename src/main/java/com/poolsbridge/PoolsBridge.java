package com.poolsbridge;
public class PoolsBridge { public static void main(String[] a) {} }
