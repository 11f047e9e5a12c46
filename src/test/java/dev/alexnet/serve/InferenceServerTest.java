package dev.alexnet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.testing.ImageFixtures;
import dev.alexnet.train.RunConfig;
import dev.alexnet.weights.ShippedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server as programs use it: started on a free port of 127.0.0.1 with the shipped model, called
 * with a real HTTP client, its answers checked against the protocols' shapes and against
 * {@code alexnet predict} on the same files.
 */
class InferenceServerTest {

    private static final String MODEL = "quick";
    private static final long BODY_LIMIT = 64 * 1024;

    @TempDir
    static Path temp;

    private static InferenceServer server;
    private static ServerClient client;
    private static Path runs;
    private static Path picture;

    @BeforeAll
    static void start() throws Exception {
        runs = Files.createDirectories(temp.resolve("runs"));
        Path run = Files.createDirectories(runs.resolve("first"));
        RunDirectory.writeConfig(run, RunConfig.preset(RunConfig.QUICK));
        Files.writeString(run.resolve("manifest.json"),
                "{\"status\":\"running\",\"startedAt\":\"2026-11-30T10:00:00Z\",\"epochsDone\":2}");
        Files.writeString(run.resolve("metrics.csv"), "kind,epoch,x,trainLoss,valLoss,valAccuracy,imagesPerSec,seconds,trainAccuracy\n"
                + "train,1,0.5,0.9,,,,,\n"
                + "epoch,1,1.0,0.8,0.5,0.81,800,60,\n" // written before train accuracy was recorded
                + "epoch,2,2.0,0.4,0.35,0.87,800,60,0.85\n"
                + "epoch,3,3.0,0.3,0.3"); // being written: not yet a whole line
        Files.writeString(run.resolve("notes.txt"), "inside");
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "TOP-SECRET");
        Files.writeString(outside.resolve(RunDirectory.CONFIG_FILE), "{}");
        Files.createSymbolicLink(runs.resolve("linked"), outside);
        Files.createSymbolicLink(run.resolve("escape"), outside);
        Path second = Files.createDirectories(runs.resolve("second"));
        Files.writeString(outside.resolve("elsewhere.json"), "{\"model\":{\"name\":\"TOP-SECRET\"}}");
        Files.createSymbolicLink(second.resolve(RunDirectory.CONFIG_FILE), outside.resolve("elsewhere.json"));
        Files.writeString(second.resolve("manifest.json"), "{\"status\":\"running\"}");
        Files.writeString(run.resolve("page.html"), "<script>alert(1)</script>");
        picture = ImageFixtures.write(ImageFixtures.photo(300, 420), "png", temp.resolve("photo.png"));
        server = InferenceServer.start(new ServeConfig("127.0.0.1", 0, 32, 5, BODY_LIMIT, null, runs, null),
                List.of(new ModelSpec(MODEL, ShippedModel.FILE, false)), Device.cpu(), line -> { });
        client = new ServerClient(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthAndMetadataFollowTheOpenInferenceProtocol() {
        assertEquals("{\"live\":true}", client.get("/v2/health/live").body());
        assertEquals(200, client.get("/v2/health/ready").status());
        JsonObject serverMetadata = client.get("/v2").json().getAsJsonObject();
        assertEquals("alexnet", serverMetadata.get("name").getAsString());
        assertTrue(serverMetadata.getAsJsonArray("extensions").toString().contains("classification"));

        JsonObject model = client.get("/v2/models/" + MODEL).json().getAsJsonObject();
        assertEquals(MODEL, model.get("name").getAsString());
        JsonObject input = model.getAsJsonArray("inputs").get(0).getAsJsonObject();
        assertEquals("FP32", input.get("datatype").getAsString());
        assertEquals("[-1,1,28,28]", input.get("shape").toString());
        JsonObject output = model.getAsJsonArray("outputs").get(0).getAsJsonObject();
        assertEquals("[-1,10]", output.get("shape").toString());
        assertEquals(200, client.get("/v2/models/" + MODEL + "/ready").status());
        assertEquals(404, client.get("/v2/models/nothing/ready").status());

        assertEquals("Healthy", client.get("/ping").json().getAsJsonObject().get("status").getAsString());
        JsonArray models = client.get("/models").json().getAsJsonObject().getAsJsonArray("models");
        assertEquals(MODEL, models.get(0).getAsJsonObject().get("modelName").getAsString());
    }

    @Test
    void aPictureGetsExactlyThePredictCommandsProbabilities() throws Exception {
        List<String> labels = new ArrayList<>();
        List<Double> probabilities = new ArrayList<>();
        for (JsonElement p : predictCommand(picture)) {
            labels.add(p.getAsJsonObject().get("label").getAsString());
            probabilities.add(p.getAsJsonObject().get("probability").getAsDouble());
        }
        assertEquals(10, labels.size());
        byte[] file = Files.readAllBytes(picture);
        for (ServerClient.Answer answer : List.of(
                client.post("/predictions/" + MODEL + "?topk=10", file, "application/octet-stream"),
                client.postMultipart("/predictions/" + MODEL + "?topk=10", "data", file))) {
            assertEquals(200, answer.status(), answer.body());
            JsonArray served = answer.json().getAsJsonArray();
            for (int i = 0; i < 10; i++) {
                assertEquals(labels.get(i), served.get(i).getAsJsonObject().get("className").getAsString());
                assertEquals(probabilities.get(i), served.get(i).getAsJsonObject().get("probability").getAsDouble());
            }
        }
        // v2 with the encoded file as BYTES: the FP32 output lists the same probabilities in class order
        String bytes = Base64.getEncoder().encodeToString(file);
        ServerClient.Answer v2 = client.postJson("/v2/models/" + MODEL + "/infer", "{\"id\":\"r1\",\"inputs\":[{\"name\":"
                + "\"image_bytes\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"" + bytes + "\"]}]}");
        assertEquals(200, v2.status(), v2.body());
        JsonObject response = v2.json().getAsJsonObject();
        assertEquals("r1", response.get("id").getAsString());
        JsonObject output = response.getAsJsonArray("outputs").get(0).getAsJsonObject();
        assertEquals("[1,10]", output.get("shape").toString());
        JsonArray data = output.getAsJsonArray("data");
        for (int i = 0; i < 10; i++) {
            int index = FashionMnist.CLASS_NAMES.indexOf(labels.get(i));
            assertEquals(probabilities.get(i).floatValue(), data.get(index).getAsFloat());
        }
    }

    @Test
    void pixelsTheNetworkReceivesGiveTheSameAnswerAsTheirPictureAndBatchesAgree() throws Exception {
        byte[] file = Files.readAllBytes(picture);
        JsonObject tried = client.post("/api/try/" + MODEL, file, "application/octet-stream").json().getAsJsonObject();
        JsonArray pixels = tried.getAsJsonArray("input");
        assertEquals(28 * 28, pixels.size());
        JsonArray predictions = tried.getAsJsonArray("predictions");

        // the same 28x28 pixels three times, as one FP32 tensor, with Triton's classification parameter
        StringBuilder data = new StringBuilder();
        for (int copy = 0; copy < 3; copy++) {
            for (JsonElement pixel : pixels) {
                data.append(data.length() == 0 ? "" : ",").append(pixel.getAsFloat());
            }
        }
        ServerClient.Answer answer = client.postJson("/v2/models/" + MODEL + "/infer", "{\"inputs\":[{\"name\":\"input\","
                + "\"shape\":[3,1,28,28],\"datatype\":\"FP32\",\"data\":[" + data + "]}],\"outputs\":[{\"name\":"
                + "\"probabilities\",\"parameters\":{\"classification\":4}}]}");
        assertEquals(200, answer.status(), answer.body());
        JsonObject output = answer.json().getAsJsonObject().getAsJsonArray("outputs").get(0).getAsJsonObject();
        assertEquals("BYTES", output.get("datatype").getAsString());
        assertEquals("[3,4]", output.get("shape").toString());
        JsonArray strings = output.getAsJsonArray("data");
        for (int row = 0; row < 3; row++) {
            for (int j = 0; j < 4; j++) {
                String[] parts = strings.get(row * 4 + j).getAsString().split(":");
                JsonObject expected = predictions.get(j).getAsJsonObject();
                assertEquals(expected.get("className").getAsString(), parts[2]);
                assertEquals(FashionMnist.CLASS_NAMES.get(Integer.parseInt(parts[1])), parts[2]);
                assertEquals(expected.get("probability").getAsDouble(), Double.parseDouble(parts[0]), 2e-6);
            }
        }
    }

    static Stream<Arguments> badRequests() {
        String infer = "/v2/models/" + MODEL + "/infer";
        String pixels = "0," .repeat(783) + "0";
        return Stream.of(
                Arguments.of(infer, "{\"inputs\":[", 400, "bad JSON"),
                Arguments.of(infer, "[1,2]", 400, "bad JSON"),
                Arguments.of(infer, "{}", 400, "no \"inputs\""),
                Arguments.of(infer, "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1,28,28],\"datatype\":\"INT32\",\"data\":["
                        + pixels + "]}]}", 400, "datatype INT32"),
                Arguments.of(infer, "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\",\"data\":[0]}]}",
                        400, "784 values) but 1 values"),
                Arguments.of(infer, "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,784],\"datatype\":\"FP32\",\"data\":["
                        + pixels + "]}]}", 400, "takes [N, 1, 28, 28]"),
                Arguments.of(infer, "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\",\"data\":[2,"
                        + "0,".repeat(782) + "0]}]}", 400, "pixels lie in [0, 1]"),
                Arguments.of(infer, "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\",\"data\":[1e39,"
                        + "0,".repeat(782) + "0]}]}", 400, "overflows FP32"),
                Arguments.of(infer, "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\",\"data\":[NaN,"
                        + "0,".repeat(782) + "0]}]}", 400, "bad JSON"),
                Arguments.of(infer, "{\"inputs\":[{\"name\":\"x\",\"shape\":[4294967296,4294967296],\"datatype\":\"FP32\","
                        + "\"data\":[0]}]}", 400, "out of range"),
                Arguments.of(infer, "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"***\"]}]}",
                        400, "not base64"),
                Arguments.of(infer, "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"aGVsbG8=\"]}]}",
                        400, "not an image"),
                Arguments.of(infer, "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\",\"data\":["
                        + pixels + "]}],\"outputs\":[{\"name\":\"logits\"}]}", 400, "no output 'logits'"),
                Arguments.of("/v2/models/nothing/infer", "{}", 404, "no model 'nothing'"),
                Arguments.of("/predictions/nothing", "x", 404, "no model 'nothing'"),
                Arguments.of("/predictions/" + MODEL, "", 400, "no picture"),
                Arguments.of("/predictions/" + MODEL, "hello", 400, "not an image"),
                Arguments.of("/predictions/" + MODEL + "?topk=0", "x", 400, "topk 0 is out of range"),
                Arguments.of("/predictions/" + MODEL, "x".repeat((int) BODY_LIMIT + 1), 413, "larger than the limit"),
                Arguments.of(infer, " ".repeat((int) BODY_LIMIT + 1), 413, "larger than the limit"),
                Arguments.of("/no/such/thing", "x", 404, "no such endpoint"),
                Arguments.of(infer, "{\"inputs\":[{\"name\":\"x\",\"shape\":[2000],\"datatype\":\"BYTES\",\"data\":["
                        + "\"\",".repeat(1999) + "\"\"]}]}", 413, "at most 1024"),
                Arguments.of(infer, "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\",\"data\":["
                        + pixels + "]}],\"outputs\":[{\"name\":\"probabilities\"},{\"name\":\"probabilities\"}]}",
                        400, "one output"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void aBadRequestGetsItsStatusAndAOneLineJsonError(String path, String body, int status, String reason) {
        ServerClient.Answer answer = client.post(path, body.getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(status, answer.status(), answer.body());
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        String error = answer.json().getAsJsonObject().get("error").getAsString();
        assertTrue(error.contains(reason), error);
        assertFalse(error.contains("\n"), error);
    }

    @Test
    void aGarbledMultipartBodyATiffAndAForeignHostAreRefused() throws Exception {
        ServerClient.Answer garbled = client.post("/predictions/" + MODEL, "not multipart at all".getBytes(StandardCharsets.UTF_8),
                "multipart/form-data; boundary=x");
        assertEquals(400, garbled.status(), garbled.body());
        assertTrue(garbled.json().getAsJsonObject().get("error").getAsString().contains("multipart"), garbled.body());

        java.io.ByteArrayOutputStream tiff = new java.io.ByteArrayOutputStream();
        assertTrue(javax.imageio.ImageIO.write(ImageFixtures.photo(40, 40), "tiff", tiff));
        ServerClient.Answer refused = client.post("/predictions/" + MODEL, tiff.toByteArray(), "image/tiff");
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.body().contains("not an image this program reads"), refused.body());

        // a page on another site reaching this loopback server through its own DNS name (DNS rebinding)
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000); // the answer's read has a deadline
            socket.getOutputStream().write(("GET /models HTTP/1.1\r\nHost: evil.example:" + server.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        }
    }

    @Test
    void aBombAndATruncatedPictureAreRefusedAsPredictRefusesThem() throws Exception {
        Path pictures = Path.of("src/test/resources/adversarial/pictures");
        for (String name : List.of("bomb-100000x100000.png", "truncated.jpg", "empty.jpg")) {
            ServerClient.Answer answer = client.post("/predictions/" + MODEL, Files.readAllBytes(pictures.resolve(name)),
                    "application/octet-stream");
            assertEquals(400, answer.status(), name + ": " + answer.body());
        }
    }

    @Test
    void theBoardListsRunsAndReadsMetricsWhileTheyAreWritten() {
        JsonArray rows = client.get("/api/runs").json().getAsJsonArray();
        assertEquals(2, rows.size(), rows.toString()); // the link to a folder outside is not listed
        assertFalse(rows.toString().contains("TOP-SECRET"), "a linked config.json is not read: " + rows);
        JsonObject row = rows.get(0).getAsJsonObject();
        assertEquals("first", row.get("name").getAsString());
        assertEquals("alexnet28", row.get("network").getAsString());
        assertEquals("running", row.get("status").getAsString());
        assertEquals(2, row.get("epochsDone").getAsInt());
        assertEquals(0.87, row.get("bestValAccuracy").getAsDouble());
        assertEquals(rows, client.get("/runs", "Accept", "application/json").json());
        assertTrue(client.get("/runs").body().contains("<table id=\"runs\">"));

        JsonObject metrics = client.get("/api/runs/first/metrics").json().getAsJsonObject();
        assertEquals(2, metrics.getAsJsonArray("epochs").size());
        assertEquals(1, metrics.getAsJsonArray("trainPoints").size());
        JsonObject first = metrics.getAsJsonArray("epochs").get(0).getAsJsonObject();
        assertTrue(first.get("trainAccuracy").isJsonNull(), first.toString());
        assertEquals(0.81, first.get("valAccuracy").getAsDouble());
        JsonObject details = client.get("/api/runs/first").json().getAsJsonObject();
        assertEquals("alexnet28", details.getAsJsonObject("config").getAsJsonObject("model").get("name").getAsString());
    }

    @Test
    void theBoardServesOnlyFilesInsideTheRunsFolder() {
        assertEquals("inside", client.get("/runs/first/files/notes.txt").body());
        ServerClient.Answer page = client.get("/runs/first/files/page.html");
        assertTrue(page.contentType().startsWith("text/plain"), "a run's HTML is never served as a page: " + page.contentType());
        for (String path : List.of("/runs/first/files/%2e%2e/%2e%2e/outside/secret.txt",
                "/runs/first/files/..%2F..%2Foutside%2Fsecret.txt", "/runs/first/files/escape/secret.txt",
                "/runs/linked/files/secret.txt", "/api/runs/linked", "/runs/linked", "/runs/first/files/%2Fetc%2Fpasswd",
                "/runs/nothing/files/notes.txt", "/runs/first/files/checkpoints", "/runs/%2e%2e/files/outside/secret.txt")) {
            ServerClient.Answer answer = client.get(path);
            assertTrue(answer.status() == 404 || answer.status() == 400, path + " -> " + answer.status());
            assertFalse(answer.body().contains("TOP-SECRET"), path + " -> " + answer.body());
        }
    }

    @Test
    void metricsCountRequestsImagesAndBatchesInPrometheusFormat() throws Exception {
        String before = client.get("/metrics").body();
        byte[] file = Files.readAllBytes(picture);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, client.post("/predictions/" + MODEL, file, "image/png").status());
        }
        assertEquals(404, client.post("/predictions/nothing", file, "image/png").status());
        ServerClient.Answer scrape = client.get("/metrics");
        assertTrue(scrape.contentType().startsWith("text/plain"), scrape.contentType());
        String after = scrape.body();
        String ok = "alexnet_requests_total{api=\"torchserve\",status=\"200\"}";
        assertEquals(3, ServerClient.metric(after, ok) - ServerClient.metric(before, ok));
        String errors = "alexnet_errors_total{api=\"torchserve\"}";
        assertEquals(1, ServerClient.metric(after, errors) - ServerClient.metric(before, errors));
        assertEquals(3, ServerClient.metric(after, "alexnet_images_total") - ServerClient.metric(before, "alexnet_images_total"));
        double batches = ServerClient.metric(after, "alexnet_batch_size_count")
                - ServerClient.metric(before, "alexnet_batch_size_count");
        assertTrue(batches >= 1 && batches <= 3, "batches: " + batches);
        assertTrue(ServerClient.metric(after, "process_resident_memory_bytes") > 0, "resident memory is reported");
        assertTrue(after.contains("alexnet_request_duration_seconds_bucket{api=\"torchserve\",le=\"0.1\"}"));
    }

    @Test
    void aTokenGuardsTheApisButNotThePagesOrHealth() {
        try (InferenceServer guarded = InferenceServer.start(
                new ServeConfig("127.0.0.1", 0, 8, 1, BODY_LIMIT, "s3cret", null, null),
                List.of(new ModelSpec(MODEL, ShippedModel.FILE, false)), Device.cpu(), line -> { })) {
            ServerClient guest = new ServerClient(guarded.port());
            ServerClient.Answer refused = guest.get("/v2/models/" + MODEL);
            assertEquals(401, refused.status());
            assertTrue(refused.json().getAsJsonObject().get("error").getAsString().contains("Bearer"));
            assertEquals(401, guest.get("/v2/models/" + MODEL, "Authorization", "Bearer wrong").status());
            assertEquals(401, guest.get("/metrics").status());
            assertEquals(401, guest.get("/runs", "Accept", "application/json").status());
            assertEquals(200, guest.get("/v2/models/" + MODEL, "Authorization", "Bearer s3cret").status());
            assertEquals(200, guest.get("/v2/models/" + MODEL + "?token=s3cret").status());
            assertEquals(200, guest.get("/v2/health/live").status());
            assertEquals(200, guest.get("/").status());
            // health checks need no token whatever the probe accepts (Kubernetes' may ask for JSON)
            for (String health : List.of("/v2/health/live", "/v2/health/ready", "/ping")) {
                assertEquals(200, guest.get(health, "Accept", "application/json").status(), health);
            }
            // the scheme's name is case-insensitive (RFC 9110)
            assertEquals(200, guest.get("/v2/models/" + MODEL, "Authorization", "bearer s3cret").status());
            assertEquals(200, guest.get("/v2/models/" + MODEL, "Authorization", "BEARER s3cret").status());
        }
    }

    @Test
    void thePagesRandomValidationImageIsTheDatasetsOwnWithItsLabel() throws Exception {
        // a dataset written here: image i has label i % 10 and every pixel (7 i) % 256
        Path data = dev.alexnet.testing.IdxFixtures.fakeFashionMnist(Files.createDirectories(temp.resolve("data")), 10, 20,
                false);
        try (InferenceServer withData = InferenceServer.start(new ServeConfig("127.0.0.1", 0, 8, 1, BODY_LIMIT, null, null,
                data), List.of(new ModelSpec(MODEL, ShippedModel.FILE, false)), Device.cpu(), line -> { })) {
            ServerClient guest = new ServerClient(withData.port());
            for (int draw = 0; draw < 5; draw++) {
                JsonObject random = guest.get("/api/random/" + MODEL).json().getAsJsonObject();
                int index = random.get("index").getAsInt();
                assertTrue(index >= 0 && index < 20, random.toString());
                assertEquals(FashionMnist.CLASS_NAMES.get(index % 10), random.get("label").getAsString());
                JsonArray input = random.getAsJsonArray("input");
                assertEquals(784, input.size());
                for (JsonElement pixel : input) {
                    assertEquals(((index * 7) % 256) / 255f, pixel.getAsFloat());
                }
                assertEquals(10, random.getAsJsonArray("predictions").size());
            }
        }
        List<String> console = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (InferenceServer without = InferenceServer.start(new ServeConfig("127.0.0.1", 0, 8, 1, BODY_LIMIT, null, null,
                temp.resolve("no-data")), List.of(new ModelSpec(MODEL, ShippedModel.FILE, false)), Device.cpu(),
                console::add)) {
            ServerClient.Answer missing = new ServerClient(without.port()).get("/api/random/" + MODEL);
            assertEquals(404, missing.status());
            assertTrue(missing.json().getAsJsonObject().get("error").getAsString().startsWith(
                    "this server has no Fashion-MNIST validation images"), missing.body());
            // the client is not told where the server looked; the operator is
            assertTrue(!missing.body().contains(temp.toString()), missing.body());
            assertTrue(console.stream().anyMatch(line -> line.contains(temp.resolve("no-data").toString())),
                    console.toString());
        }
    }

    @Test
    void twoModelsWithOneNameAndATakenPortAreRefusedBeforeServing() {
        IllegalArgumentException twice = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> InferenceServer.start(ServeConfig.defaults().withPort(0),
                        List.of(new ModelSpec("a", ShippedModel.FILE, false), new ModelSpec("a", ShippedModel.FILE, false)),
                        Device.cpu(), line -> { }));
        assertTrue(twice.getMessage().contains("two models are called 'a'"), twice.getMessage());
        IllegalArgumentException taken = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> InferenceServer.start(ServeConfig.defaults().withPort(server.port()),
                        List.of(new ModelSpec("a", ShippedModel.FILE, false)), Device.cpu(), line -> { }));
        assertTrue(taken.getMessage().contains("cannot listen on 127.0.0.1:" + server.port()), taken.getMessage());
    }

    private static JsonArray predictCommand(Path file) {
        dev.alexnet.testing.CommandRun run = dev.alexnet.testing.CommandRun.of("predict", "--weights",
                ShippedModel.FILE.toString(), "--top", "10", "--json", file.toString());
        assertEquals(0, run.code(), run.err());
        return JsonParser.parseString(run.out()).getAsJsonArray().get(0).getAsJsonObject()
                .getAsJsonArray("predictions");
    }
}
