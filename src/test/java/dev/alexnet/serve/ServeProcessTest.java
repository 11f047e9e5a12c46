package dev.alexnet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alexnet.testing.ChildProcess;
import dev.alexnet.testing.ImageFixtures;
import dev.alexnet.weights.ShippedModel;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alexnet serve} as its own process: it prints its address, and SIGTERM lets a request that
 * is still arriving finish before the program exits 0.
 */
class ServeProcessTest {

    @TempDir
    Path temp;

    @Test
    void sigtermLetsTheRequestInFlightFinishThenExitsZero() throws Exception {
        try (ChildProcess server = ChildProcess.start(List.of("-Xmx512m", "-Djava.awt.headless=true"),
                List.of("serve", "--port", "0", "--weights", "quick=" + ShippedModel.FILE), temp.resolve("stderr.txt"))) {
            Pattern address = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
            Matcher matcher = address.matcher(server.awaitLine(line -> address.matcher(line).find()));
            assertTrue(matcher.find());
            int port = Integer.parseInt(matcher.group(1));
            ServerClient client = new ServerClient(port);
            byte[] picture = Files.readAllBytes(ImageFixtures.write(ImageFixtures.photo(120, 160), "png",
                    temp.resolve("photo.png")));
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout((int) ChildProcess.DEADLINE.toMillis()); // the answer's read has a deadline too
                OutputStream request = socket.getOutputStream();
                request.write(("POST /predictions/quick HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
                        + "Connection: close\r\nContent-Length: " + picture.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                request.write(picture, 0, picture.length / 2);
                request.flush();
                // the half-sent request is being answered: in flight beside the scrape that asks
                waitFor(() -> ServerClient.metric(client.get("/metrics").body(), "alexnet_requests_in_flight") >= 2);
                server.terminate();
                waitFor(() -> Files.readString(temp.resolve("stderr.txt")).contains("stopping"));
                request.write(picture, picture.length / 2, picture.length - picture.length / 2);
                request.flush();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                assertTrue(answer.contains("\"className\""), answer);
            }
            assertEquals(0, server.awaitExit(), Files.readString(temp.resolve("stderr.txt")));
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition} until it holds; fails after a minute. */
    private static void waitFor(Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.holds()) {
            assertTrue(System.nanoTime() < deadline, "condition never held");
            Thread.sleep(20);
        }
    }
}
