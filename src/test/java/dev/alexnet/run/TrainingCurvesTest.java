package dev.alexnet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alexnet.train.EpochMetrics;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The board's title names the sizes of a run trained with a resize schedule, and nothing for any other run. */
class TrainingCurvesTest {

    private static List<EpochMetrics> trainedAt(int... sizes) {
        return IntStream.range(0, sizes.length)
                .mapToObj(i -> new EpochMetrics(i + 1, 1, 1, 0.5, 10, 10, 0.5, sizes[i])).toList();
    }

    @Test
    void theTitleNamesEachStretchOfEpochsAndItsSize() {
        assertEquals(", epochs 1-2 at 112 px, 3-10 at 224", TrainingCurves.sizes(trainedAt(112, 112, 224, 224, 224, 224,
                224, 224, 224, 224)));
        assertEquals(", epoch 1 at 160 px, 2 at 224", TrainingCurves.sizes(trainedAt(160, 224)));
        assertEquals("", TrainingCurves.sizes(trainedAt(224, 224)), "one size: the book's title");
        assertEquals("", TrainingCurves.sizes(trainedAt(0, 0)), "sizes not recorded (older runs)");
    }
}
