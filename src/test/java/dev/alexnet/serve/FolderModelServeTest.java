package dev.alexnet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import dev.alexnet.data.Augmentation;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.data.FolderWriter;
import dev.alexnet.data.ImageFolder;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.model.OptimizerConfig;
import dev.alexnet.testing.Configs;
import dev.alexnet.testing.IdxFixtures;
import dev.alexnet.train.Trainer;
import dev.alexnet.weights.WeightsFile;
import dev.alexnet.weights.WeightsFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model trained on a folder of colour pictures, served: its metadata, its names, its pictures. */
class FolderModelServeTest {

    @TempDir
    Path dir;

    @Test
    void metadataShowsThreeChannelsAndTheClassNamesAndAnswersUseThem() throws Exception {
        Path idx = IdxFixtures.patternFashionMnist(Files.createDirectories(dir.resolve("idx")), 60, 30);
        try (FashionMnist fashion = FashionMnist.load(new DataConfig(idx, 8, 28, null, null, Augmentation.NONE))) {
            FolderWriter.write(fashion, dir.resolve("colour"), 3, true);
        }
        Path weights = dir.resolve("colours.safetensors");
        try (ImageFolder data = ImageFolder.load(DataConfig.of(8, 28).withFolder(dir.resolve("colour")));
                Classifier model = new Classifier(data.fit(new ModelConfig(Networks.LENET, 10, 28)),
                        OptimizerConfig.sgd(0.1f), Device.cpu())) {
            new Trainer(Configs.training(1, 3), List.of()).fit(model, data);
            WeightsFile.export(model, weights, WeightsFormat.SAFETENSORS);
        }
        Path picture;
        try (Stream<Path> pictures = Files.list(dir.resolve("colour/val/1-Trouser"))) {
            picture = pictures.sorted().findFirst().orElseThrow();
        }
        try (InferenceServer server = InferenceServer.start(new ServeConfig("127.0.0.1", 0, 8, 5, 1 << 20, null, null,
                null), List.of(ModelSpec.parse("colours=" + weights)), Device.cpu(), line -> { })) {
            ServerClient client = new ServerClient(server.port());
            JsonObject metadata = client.get("/v2/models/colours").json().getAsJsonObject();
            assertEquals("[-1,3,28,28]", metadata.getAsJsonArray("inputs").get(0).getAsJsonObject().get("shape")
                    .toString());
            JsonObject parameters = metadata.getAsJsonObject("parameters");
            assertEquals("[\"0-T-shirt-top\",\"1-Trouser\",\"2-Pullover\"]", parameters.get("classes").toString());
            assertEquals(3, parameters.get("channels").getAsInt());

            ServerClient.Answer answer = client.postMultipart("/predictions/colours", "data", Files.readAllBytes(picture));
            assertEquals(200, answer.status(), answer.body());
            for (String name : List.of("0-T-shirt-top", "1-Trouser", "2-Pullover")) {
                assertTrue(answer.body().contains("\"className\":\"" + name + "\""), answer.body());
            }
            ServerClient.Answer page = client.postMultipart("/api/try/colours", "data", Files.readAllBytes(picture));
            assertEquals(200, page.status(), page.body());
            JsonObject tried = page.json().getAsJsonObject();
            assertEquals(3, tried.get("channels").getAsInt(), "the page draws the input in colour");
            assertEquals(3 * 28 * 28, tried.getAsJsonArray("input").size());
            assertEquals(400, client.get("/api/random/colours").status(), "no Fashion-MNIST image for this model");
        }
    }
}
