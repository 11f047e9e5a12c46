package dev.alexnet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.alexnet.weights.ShippedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the server tells clients, checked against the Open Inference Protocol v2 and common page hardening. */
class ServeProtocolDetailsTest {

    private static final String MODEL = "quick";

    private static InferenceServer server;
    private static ServerClient client;

    @BeforeAll
    static void start() {
        server = InferenceServer.start(new ServeConfig("127.0.0.1", 0, 8, 1, 1 << 20, null, null, null),
                // as 'alexnet serve' names it: by its absolute path
                List.of(new ModelSpec(MODEL, ShippedModel.FILE.toAbsolutePath(), false)), Device.cpu(), line -> { });
        client = new ServerClient(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void clientsAreToldTheModelsFileNameNotWhereItLies() {
        String folder = ShippedModel.FILE.toAbsolutePath().getParent().toString();
        for (String path : List.of("/models", "/models/" + MODEL, "/v2/models/" + MODEL)) {
            ServerClient.Answer answer = client.get(path);
            assertEquals(200, answer.status(), path);
            assertFalse(answer.body().contains(folder), path + ": " + answer.body());
            assertTrue(answer.body().contains("alexnet28-quick.safetensors"), path + ": " + answer.body());
        }
    }

    @Test
    void theRepositoryIndexAndTheVersionedPathsAreThere() {
        JsonArray index = client.post("/v2/repository/index", "{}".getBytes(StandardCharsets.UTF_8),
                "application/json").json().getAsJsonArray();
        assertEquals(1, index.size());
        JsonObject entry = index.get(0).getAsJsonObject();
        assertEquals(MODEL, entry.get("name").getAsString());
        assertEquals("READY", entry.get("state").getAsString());

        assertEquals(client.get("/v2/models/" + MODEL).body(), client.get("/v2/models/" + MODEL + "/versions/1").body());
        assertEquals(200, client.get("/v2/models/" + MODEL + "/versions/1/ready").status());
        ServerClient.Answer missing = client.get("/v2/models/" + MODEL + "/versions/2");
        assertEquals(404, missing.status());
        assertTrue(missing.contentType().startsWith("application/json"), missing.contentType());

        String zeros = "[" + "0,".repeat(783) + "0]";
        ServerClient.Answer inferred = client.postJson("/v2/models/" + MODEL + "/versions/1/infer",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\",\"data\":" + zeros + "}]}");
        assertEquals(200, inferred.status(), inferred.body());
        assertEquals(client.postJson("/v2/models/" + MODEL + "/infer",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\",\"data\":" + zeros + "}]}")
                .body(), inferred.body());
    }

    @Test
    void badJsonIsNamedWithoutTheLibrarysAdviceAndShapesAreNumbers() {
        ServerClient.Answer malformed = client.postJson("/v2/models/" + MODEL + "/infer", "{inputs: nope");
        assertEquals(400, malformed.status());
        String error = malformed.json().getAsJsonObject().get("error").getAsString();
        assertTrue(error.startsWith("bad JSON: "), error);
        assertFalse(error.contains("JsonReader") || error.contains("http"), error);

        ServerClient.Answer strings = client.postJson("/v2/models/" + MODEL + "/infer",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[\"1\",1,28,28],\"datatype\":\"FP32\",\"data\":[0]}]}");
        assertEquals(400, strings.status());
        assertTrue(strings.body().contains("a shape holds whole numbers"), strings.body());
    }

    @Test
    void pagesCannotBeFramedAndLoadOnlyTheirOwnScripts() {
        Map<String, String> headers = client.headersOf("/");
        assertEquals("DENY", headers.get("x-frame-options"));
        String policy = headers.get("content-security-policy");
        assertTrue(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'"), policy);
        assertEquals("nosniff", headers.get("x-content-type-options"));
    }

    @Test
    void anHttp10HealthCheckWithoutHostIsAnswered() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /v2/health/live HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.0 200") || answer.startsWith("HTTP/1.1 200"), answer);
        }
    }

    @Test
    void jettysOwnRefusalsAreJsonToo() throws IOException {
        String host = "Host: 127.0.0.1\r\nConnection: close\r\n";
        String[][] cases = {
            {"414", "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\n" + host + "\r\n"},
            {"431", "GET / HTTP/1.1\r\n" + host + "X-Long: " + "b".repeat(20_000) + "\r\n\r\n"},
            {"400", "GET /%00 HTTP/1.1\r\n" + host + "\r\n"},
        };
        for (String[] c : cases) {
            String answer = raw(c[1]);
            String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n")));
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertTrue(head.startsWith("HTTP/1.1 " + c[0]), c[0] + ": " + head);
            assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json"), head);
            assertTrue(body.startsWith("{\"error\":"), c[0] + ": " + body);
        }
    }

    @Test
    void decodingIsPaidForFromTheHeadersBeforeAnyPixelIsDecoded() throws Exception {
        // three pictures whose headers claim 7000x7000 each: 147 megapixels in one request
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                "png", png);
        byte[] claimed = png.toByteArray();
        // IHDR's width and height, right after the signature (8 bytes), the chunk's length and its type (8 bytes)
        java.nio.ByteBuffer.wrap(claimed, 16, 8).putInt(7000).putInt(7000);
        String claim = java.util.Base64.getEncoder().encodeToString(claimed);
        ServerClient.Answer many = client.postJson("/v2/models/" + MODEL + "/infer", "{\"inputs\":[{\"name\":"
                + "\"input\",\"shape\":[3],\"datatype\":\"BYTES\",\"data\":[\"" + claim + "\",\"" + claim + "\",\""
                + claim + "\"]}]}");
        assertEquals(413, many.status(), many.body());
        assertTrue(many.body().contains("147.0 megapixels; a request may carry at most 100"), many.body());

        // a progressive JPEG keeps all its coefficients while decoded: one claiming 8000x6000 needs 288 MB
        java.awt.image.BufferedImage small = new java.awt.image.BufferedImage(16, 16,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream stream = javax.imageio.ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new javax.imageio.IIOImage(small, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = out.toByteArray();
        int sof = -1;
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc2) {
                sof = i;
                break;
            }
        }
        assertTrue(sof > 0, "ImageIO wrote a progressive frame");
        // SOF2: marker, length (2), precision (1), height (2), width (2)
        jpeg[sof + 5] = (byte) (6000 >> 8);
        jpeg[sof + 6] = (byte) (6000 & 0xff);
        jpeg[sof + 7] = (byte) (8000 >> 8);
        jpeg[sof + 8] = (byte) (8000 & 0xff);
        ServerClient.Answer progressive = client.postMultipart("/predictions/" + MODEL, "data", jpeg);
        assertEquals(413, progressive.status(), progressive.body());
        assertTrue(progressive.body().contains("decoding these pictures needs about 274 MB"), progressive.body());
    }

    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
