package dev.alexnet.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hostile clients for a load test's "hostile mix": slow-body clients (a POST declaring a 10 MB body, sent a
 * byte a second) and half-open ones (a POST declaring 1,000 bytes, of which one comes). Each keeps its
 * connection as long as the server does; when the server answers or closes it, it opens another at once.
 */
final class Attackers implements AutoCloseable {

    /** What one attacker declares and sends. */
    private record Kind(String path, long declared, byte[] first) {}

    private final InetSocketAddress server;
    private final String host;
    private final List<Kind> kinds = new ArrayList<>();
    private final Socket[] sockets;
    private final AtomicLong reconnects = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts {@code slow} slow-body and {@code halfOpen} half-open clients against {@code model} at {@code base}. */
    Attackers(URI base, String model, int slow, int halfOpen) {
        int port = base.getPort() > 0 ? base.getPort() : 80;
        this.server = new InetSocketAddress(base.getHost(), port);
        this.host = base.getHost() + ":" + port;
        for (int i = 0; i < slow; i++) {
            kinds.add(new Kind("/v2/models/" + model + "/infer", 10L << 20, new byte[] {'{'}));
        }
        for (int i = 0; i < halfOpen; i++) {
            kinds.add(new Kind("/predictions/" + model, 1000, new byte[] {'x'}));
        }
        this.sockets = new Socket[kinds.size()];
        for (int i = 0; i < sockets.length; i++) {
            sockets[i] = open(kinds.get(i));
        }
        this.thread = new Thread(this::run, "attackers");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** How many times the server answered or closed an attacker's connection (each then came back). */
    long reconnects() {
        return reconnects.get();
    }

    private Socket open(Kind kind) {
        Socket socket = new Socket();
        try {
            socket.connect(server, 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + kind.path() + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + kind.declared() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(kind.first());
            out.flush();
        } catch (IOException e) {
            // refused or closed at once: tried again on the next round
        }
        return socket;
    }

    private void run() {
        while (running) {
            for (int i = 0; i < sockets.length && running; i++) {
                Socket socket = sockets[i];
                boolean alive;
                try {
                    // an answer (408, 413) or a close means the server let go of this one
                    alive = socket.isConnected() && socket.getInputStream().available() == 0;
                    if (alive && kinds.get(i).declared() > 1000) {
                        socket.getOutputStream().write(' ');
                    }
                } catch (IOException e) {
                    alive = false;
                }
                if (!alive) {
                    close(socket);
                    reconnects.incrementAndGet();
                    sockets[i] = open(kinds.get(i));
                }
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // it is gone either way
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Socket socket : sockets) {
            close(socket);
        }
    }
}
