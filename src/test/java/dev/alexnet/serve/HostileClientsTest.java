package dev.alexnet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import dev.alexnet.weights.ShippedModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that try to starve the server: slow bodies, hundreds of half-open connections, a body that holds the
 * memory budget, too many connections from one address, pictures that take long to decode. A well-behaved
 * client and the health checks must be answered within a second throughout.
 */
class HostileClientsTest {

    private static final String MODEL = "quick";
    private static final String INFER = "/v2/models/" + MODEL + "/infer";
    /** One 28x28 image of zeros as a v2 request. */
    private static final String ONE_IMAGE = request(1);

    /** The defaults: a 10 MB body limit and the 256 MiB budget. */
    private static InferenceServer server;
    private static ServerClient client;
    /** Small limits: a 4 MiB budget, 1 MiB bodies, 4 connections per address, 1 ms to decode, 200 ms wait. */
    private static InferenceServer tight;
    private static ServerClient tightClient;

    @BeforeAll
    static void start() {
        List<ModelSpec> model = List.of(new ModelSpec(MODEL, ShippedModel.FILE, false));
        server = InferenceServer.start(new ServeConfig("127.0.0.1", 0, 8, 1, 10L << 20, null, null, null),
                model, Device.cpu(), line -> { });
        client = new ServerClient(server.port());
        ServeConfig.Limits limits = new ServeConfig.Limits(2048, 4, 4096, 30_000, 1, 200, 4L << 20);
        tight = InferenceServer.start(new ServeConfig("127.0.0.1", 0, 8, 1, 1L << 20, null, null, null, limits),
                model, Device.cpu(), line -> { });
        tightClient = new ServerClient(tight.port());
    }

    @AfterAll
    static void stop() {
        server.close();
        tight.close();
    }

    private static String request(int images) {
        String zeros = "0," .repeat(images * 784 - 1) + "0";
        return "{\"inputs\":[{\"name\":\"input\",\"shape\":[" + images + ",1,28,28],\"datatype\":\"FP32\",\"data\":["
                + zeros + "]}]}";
    }

    /** Opens a connection from {@code from} and sends a POST's head declaring {@code length} bytes, then {@code first}. */
    private static Socket post(InetAddress from, int port, String path, long length, byte[] first) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(first);
        out.flush();
        return socket;
    }

    /** An address of this machine other than 127.0.0.1, so attackers are another client; or 127.0.0.1 itself. */
    private static InetAddress otherLoopback() throws IOException {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(other, 0));
            return other;
        } catch (IOException e) {
            return InetAddress.getByName("127.0.0.1");
        }
    }

    /** The 99th percentile of latencies in milliseconds (the largest but one of 100, the largest of fewer). */
    private static long p99(long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * 0.99) - 1)];
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
    }

    @Test
    void nineSlowBodiesHoldNoOneUp() throws Exception {
        // each declares the 10 MB limit and sends a byte at a time: a budget reserved from declared lengths
        // (3 x 10 MB each) would be gone, and everyone else would wait
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 9; i++) {
                slow.add(post(InetAddress.getByName("127.0.0.1"), server.port(), INFER, 10L << 20, new byte[] {'{'}));
            }
            long[] latencies = new long[30];
            for (int i = 0; i < latencies.length; i++) {
                long start = System.nanoTime();
                ServerClient.Answer answer = client.postJson(INFER, ONE_IMAGE);
                latencies[i] = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, answer.status(), answer.body());
                for (Socket socket : slow) {
                    if (!socket.isClosed()) {
                        try {
                            socket.getOutputStream().write(' ');
                        } catch (IOException e) {
                            socket.close(); // cut off for being slow: as it should be
                        }
                    }
                }
            }
            assertTrue(p99(latencies) <= 1_000, "p99 " + p99(latencies) + " ms: " + Arrays.toString(latencies));
            assertEquals(200, client.get("/v2/health/ready").status(), "slow bodies hold only the bytes they sent");
        } finally {
            closeAll(slow);
        }
    }

    @Test
    void aBodySlowerThanTheMinimumRateIsCutOffWith408() throws Exception {
        try (Socket socket = post(InetAddress.getByName("127.0.0.1"), server.port(), INFER, 100_000, new byte[] {'{'})) {
            socket.setSoTimeout(500);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            // a byte every half second, far below 4 KiB/s, until the server answers (at most 20 s)
            for (int i = 0; i < 40 && answer.size() == 0; i++) {
                try {
                    socket.getOutputStream().write(' ');
                } catch (IOException e) {
                    break; // closed after its answer
                }
                try {
                    byte[] buffer = new byte[4096];
                    int n = in.read(buffer);
                    if (n > 0) {
                        answer.write(buffer, 0, n);
                    }
                } catch (SocketTimeoutException e) {
                    // not yet
                }
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("HTTP/1.1 408"), text);
            assertTrue(text.contains("slower than 4096 bytes a second"), text);
        }
    }

    @Test
    void threeHundredHalfOpenConnectionsStopNeitherHealthChecksNorAnswers() throws Exception {
        InetAddress from = otherLoopback();
        List<Socket> attackers = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                attackers.add(post(from, server.port(), "/predictions/" + MODEL, 1000, new byte[] {'x'}));
            }
            long[] health = new long[30];
            long[] answers = new long[30];
            for (int i = 0; i < health.length; i++) {
                long start = System.nanoTime();
                assertEquals(200, client.get("/v2/health/live").status());
                health[i] = (System.nanoTime() - start) / 1_000_000;
                start = System.nanoTime();
                ServerClient.Answer answer = client.postJson(INFER, ONE_IMAGE);
                answers[i] = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, answer.status(), answer.body());
            }
            assertTrue(p99(health) <= 1_000, "health p99 " + p99(health) + " ms: " + Arrays.toString(health));
            assertTrue(p99(answers) <= 1_000, "answers p99 " + p99(answers) + " ms: " + Arrays.toString(answers));
        } finally {
            closeAll(attackers);
        }
    }

    @Test
    void aFullBudgetMeansNotReadyAnd503WithRetryAfterThenRecovers() throws Exception {
        String big = request(320); // about 500 KB: 1.5 MB of the budget
        // a body that stops short of its declared length holds three times what it sent: ~3 MB of the 4 MiB
        Socket hog = post(InetAddress.getByName("127.0.0.1"), tight.port(), INFER, 1L << 20, new byte[1_000_000]);
        try {
            // until the server has read what the hog sent: about 3 MB of the budget held, 1 MB left
            double free = Double.MAX_VALUE;
            for (long deadline = System.nanoTime() + 10_000_000_000L; free > 1.2e6 && System.nanoTime() < deadline; ) {
                free = ServerClient.metric(tightClient.get("/metrics").body(), "alexnet_memory_budget_free_bytes");
            }
            assertTrue(free <= 1.2e6, "free " + free);
            ServerClient.Answer ready = tightClient.get("/v2/health/ready");
            assertEquals(503, ready.status(), ready.body());
            assertEquals("{\"ready\":false}", ready.body());
            assertEquals(200, tightClient.get("/v2/health/live").status());

            ServerClient.Answer busy = tightClient.postJson(INFER, big);
            assertEquals(503, busy.status(), busy.body());
            assertTrue(busy.body().contains("busy"), busy.body());
            assertEquals("1", busy.headers().firstValue("Retry-After").orElse(null));
        } finally {
            hog.close();
        }
        ServerClient.Answer ready = tightClient.get("/v2/health/ready");
        for (int i = 0; i < 100 && ready.status() != 200; i++) {
            ready = tightClient.get("/v2/health/ready"); // until the server has seen the hog go
        }
        assertEquals(200, ready.status(), ready.body());
        ServerClient.Answer answered = tightClient.postJson(INFER, big);
        assertEquals(200, answered.status(), answered.body());
    }

    @Test
    void connectionsBeyondTheLimitOfOneAddressAreClosedWhileOthersAreServed() throws Exception {
        InetAddress from = otherLoopback();
        assumeTrue(!from.isLoopbackAddress() || !from.getHostAddress().equals("127.0.0.1"),
                "this machine cannot send from a second loopback address");
        List<Socket> four = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                four.add(post(from, tight.port(), INFER, 1000, new byte[] {'{'}));
            }
            // the server accepts connections on its own threads: wait until it has all four requests in hand
            // (in flight: the four and the asking request itself)
            double inFlight = 0;
            for (long deadline = System.nanoTime() + 10_000_000_000L; inFlight < 5 && System.nanoTime() < deadline; ) {
                inFlight = ServerClient.metric(tightClient.get("/metrics").body(), "alexnet_requests_in_flight");
            }
            assertEquals(5, inFlight, 0.0);
            try (Socket fifth = new Socket()) {
                fifth.bind(new InetSocketAddress(from, 0));
                fifth.connect(new InetSocketAddress("127.0.0.1", tight.port()), 5_000);
                fifth.setSoTimeout(10_000);
                int read;
                try {
                    fifth.getOutputStream().write(("GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    read = fifth.getInputStream().read();
                } catch (IOException e) {
                    read = -1; // a broken pipe or a reset: closed as well
                }
                assertEquals(-1, read, "the fifth connection from one address is closed without an answer");
            }
            assertEquals(200, tightClient.get("/v2/health/live").status(), "another address is served");
            four.remove(0).close();
            // one closed: the address may open one again (its close may take a moment to be seen)
            String answer = "";
            for (int i = 0; i < 50 && !answer.startsWith("HTTP/1.1 200"); i++) {
                try (Socket again = new Socket()) {
                    again.bind(new InetSocketAddress(from, 0));
                    again.connect(new InetSocketAddress("127.0.0.1", tight.port()), 5_000);
                    again.setSoTimeout(10_000);
                    again.getOutputStream().write("GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    answer = new String(again.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    answer = "";
                }
            }
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        } finally {
            closeAll(four);
        }
    }

    @Test
    void picturesThatTakeLongerThanTheDecodingLimitAre422() throws Exception {
        // ten grey bands: 9 megapixels in a small file
        BufferedImage picture = new BufferedImage(3000, 3000, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 3000; y++) {
            for (int x = 0; x < 3000; x++) {
                picture.getRaster().setSample(x, y, 0, x / 300 * 25);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", png);
        // 1 ms for 9 megapixels on the tight server; the default 10 s on the other
        ServerClient.Answer refused = tightClient.post("/predictions/" + MODEL, png.toByteArray(), "image/png");
        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.body().contains("took longer than 0.0 s to decode"), refused.body());
        ServerClient.Answer answered = client.post("/predictions/" + MODEL, png.toByteArray(), "image/png");
        assertEquals(200, answered.status(), answered.body());
    }
}
