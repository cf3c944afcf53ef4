package com.poolsbridge.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy between the app and one of its peers (broker, database, 0Pools), since tc/iptables are not
 * available here. {@link #pass()} forwards; {@link #freeze()} stops forwarding in both directions but keeps every
 * socket open (a peer that hangs); {@link #freezeResponses()} lets requests through and holds what comes back
 * (the peer committed, the answer is lost in the network); {@link #reset()} closes every open connection with a
 * TCP RST (new connections are still accepted).
 */
public final class TcpProxy implements AutoCloseable {

    public enum Mode { PASS, FREEZE, FREEZE_RESPONSES }

    private final String name;
    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private final AtomicLong toTarget = new AtomicLong();
    private final AtomicLong fromTarget = new AtomicLong();
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;

    public TcpProxy(String name, int targetPort) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "proxy-" + name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String name() {
        return name;
    }

    public Mode mode() {
        return mode;
    }

    public void pass() {
        setMode(Mode.PASS);
    }

    public void freeze() {
        setMode(Mode.FREEZE);
    }

    public void freezeResponses() {
        setMode(Mode.FREEZE_RESPONSES);
    }

    /** Drops every open connection (RST); the app sees "connection reset" and must reconnect. */
    public void reset() {
        for (Socket s : sockets) {
            abort(s);
        }
        sockets.clear();
    }

    /** Bytes forwarded app → peer and peer → app so far (a scenario can see that a request or answer crossed). */
    public long bytesToTarget() {
        return toTarget.get();
    }

    public long bytesFromTarget() {
        return fromTarget.get();
    }

    public int openConnections() {
        return sockets.size() / 2;
    }

    private void setMode(Mode next) {
        synchronized (gate) {
            mode = next;
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                try {
                    server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                } catch (IOException e) {
                    abort(client);   // peer down: the app sees a refused/reset connection, as it would without us
                    continue;
                }
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean request) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    awaitOpen(request);
                    out.write(buffer, 0, n);
                    out.flush();
                    (request ? toTarget : fromTarget).addAndGet(n);
                }
            } catch (IOException | InterruptedException ignored) {
                // one side closed or was reset: close the other side too
            } finally {
                sockets.remove(from);
                sockets.remove(to);
                quietClose(from);
                quietClose(to);
            }
        }, "proxy-" + name + (request ? "-up" : "-down"));
        t.setDaemon(true);
        t.start();
    }

    /** Holds the bytes already read while the direction is frozen; the sockets stay open meanwhile. */
    private void awaitOpen(boolean request) throws InterruptedException {
        synchronized (gate) {
            while (!closed && (mode == Mode.FREEZE || (mode == Mode.FREEZE_RESPONSES && !request))) {
                gate.wait();
            }
        }
    }

    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);   // close with RST, not FIN
        } catch (IOException ignored) {
            // already closed
        }
        quietClose(s);
    }

    private static void quietClose(java.io.Closeable s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        setMode(Mode.PASS);
        quietClose(listener);
        reset();
    }
}
