package dev.alexnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** {@code summary} and {@code analyze} for colour pictures of other classes: the changed shapes and counts. */
class ChannelsSummaryTest {

    @Test
    void threeChannelsAndFourClassesChangeTheFirstAndLastLayersOnly() {
        JsonObject book = json(CliTest.run("summary", "--json"));
        JsonObject colour = json(CliTest.run("summary", "--json", "--channels", "3", "--num-classes", "4"));

        assertEquals("[1,3,224,224]", colour.get("input").toString());
        JsonArray layers = colour.getAsJsonArray("layers");
        // the first convolution: 96 kernels of 3x11x11 and 96 biases, by hand
        assertEquals(96 * 3 * 11 * 11 + 96, layers.get(0).getAsJsonObject().get("params").getAsLong());
        // the last dense layer: 4 outputs of 4096 inputs and 4 biases
        JsonObject last = layers.get(layers.size() - 1).getAsJsonObject();
        assertEquals(4096 * 4 + 4, last.get("params").getAsLong());
        assertEquals("[1,4]", last.get("outputShape").toString());
        // everything else as the book's grey, ten-class network
        long difference = (96 * 3 * 121 - 96 * 121) + (4096 * 4 + 4 - (4096 * 10 + 10));
        assertEquals(book.get("totalParams").getAsLong() + difference, colour.get("totalParams").getAsLong());

        JsonObject analyzed = json(CliTest.run("analyze", "--json", "--channels", "3", "--num-classes", "4"));
        assertEquals(colour.get("totalParams").getAsLong(), analyzed.getAsJsonObject("totals").getAsJsonObject("all").get("params")
                .getAsLong());
    }

    private static JsonObject json(CliTest.Result result) {
        assertEquals(0, result.code(), result.err());
        return JsonParser.parseString(result.out()).getAsJsonObject();
    }
}
