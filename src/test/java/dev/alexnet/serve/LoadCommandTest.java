package dev.alexnet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.alexnet.cli.AlexNetCommand;
import dev.alexnet.testing.CommandRun;
import dev.alexnet.weights.ShippedModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code alexnet load} against a real server: its counts agree with the server's own metrics. */
class LoadCommandTest {

    private static CommandRun load(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void countsWhatTheServerCounts() {
        try (InferenceServer server = InferenceServer.start(ServeConfig.defaults().withPort(0),
                List.of(new ModelSpec("quick", ShippedModel.FILE, false)), Device.cpu(), line -> { })) {
            ServerClient client = new ServerClient(server.port());
            double before = ServerClient.metric(client.get("/metrics").body(), "alexnet_images_total");
            CommandRun run = load("load", "--url", client.base().toString(), "--model", "quick", "--clients", "4",
                    "--requests", "24", "--images", "3", "--json");
            assertEquals(0, run.code(), run.err());
            JsonObject result = JsonParser.parseString(run.out()).getAsJsonObject();
            assertEquals(24, result.get("requests").getAsLong());
            assertEquals(0, result.get("errors").getAsLong());
            double p50 = result.get("p50Ms").getAsDouble();
            assertTrue(p50 > 0 && p50 <= result.get("p99Ms").getAsDouble(), run.out());
            assertTrue(result.get("rssAfterMb").getAsDouble() > 0, run.out());
            double after = ServerClient.metric(client.get("/metrics").body(), "alexnet_images_total");
            // 24 timed requests of 3 images, and the one request that checks the address first
            assertEquals(25 * 3, after - before);
        }
    }

    @Test
    void aWrongModelOrAddressFailsAtOnceWithItsReason() {
        try (InferenceServer server = InferenceServer.start(ServeConfig.defaults().withPort(0),
                List.of(new ModelSpec("quick", ShippedModel.FILE, false)), Device.cpu(), line -> { })) {
            CommandRun wrong = load("load", "--url", "http://127.0.0.1:" + server.port(), "--model", "nothing", "--requests", "5");
            assertEquals(AlexNetCommand.FAILURE, wrong.code());
            assertTrue(wrong.err().contains("404") && wrong.err().contains("no model 'nothing'"), wrong.err());
        }
        CommandRun both = load("load", "--seconds", "3", "--requests", "5");
        assertEquals(AlexNetCommand.USAGE, both.code());
        CommandRun notHttp = load("load", "--url", "ftp://x", "--requests", "5");
        assertEquals(AlexNetCommand.USAGE, notHttp.code());
        assertTrue(notHttp.err().contains("not an http:// address"), notHttp.err());
    }

    @Test
    void theHostileMixCountsHealthChecksAndTheAttackersTheServerLetGo() {
        // a body limit below the slow clients' 10 MB: the server refuses them at once, and they come back
        try (InferenceServer server = InferenceServer.start(new ServeConfig("127.0.0.1", 0, 32, 5, 1 << 20, null, null,
                null), List.of(new ModelSpec("quick", ShippedModel.FILE, false)), Device.cpu(), line -> { })) {
            ServerClient client = new ServerClient(server.port());
            CommandRun run = load("load", "--url", client.base().toString(), "--model", "quick", "--clients", "2",
                    "--seconds", "3", "--slow-clients", "2", "--half-open", "20", "--json");
            assertEquals(0, run.code(), run.err());
            JsonObject result = JsonParser.parseString(run.out()).getAsJsonObject();
            assertEquals(0, result.get("errors").getAsLong());
            assertTrue(result.get("healthChecks").getAsLong() > 0, run.out());
            assertEquals(0, result.get("healthErrors").getAsLong(), run.out());
            assertTrue(result.get("hostileReconnects").getAsLong() >= 2, run.out());
            // the server saw the refusals: 413 for each slow client's declared 10 MB
            String metrics = client.get("/metrics").body();
            assertTrue(ServerClient.metric(metrics, "alexnet_requests_total{api=\"v2\",status=\"413\"}") >= 2, metrics);
        }
    }
}
