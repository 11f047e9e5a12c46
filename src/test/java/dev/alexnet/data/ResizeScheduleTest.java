package dev.alexnet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The resize schedule as the flag writes it: each epoch's size, and every malformed schedule refused. */
class ResizeScheduleTest {

    @Test
    void eachEpochHasItsStagesSizeAndTheLastSizeAfterwards() {
        ResizeSchedule schedule = ResizeSchedule.parse("112:2, 160:1,224:1");

        assertEquals(List.of(112, 112, 160, 224, 224, 224),
                java.util.stream.IntStream.rangeClosed(1, 6).map(schedule::sizeAt).boxed().toList());
        assertEquals(4, schedule.epochs());
        assertEquals(224, schedule.lastSize());
        assertEquals("112:2,160:1,224:1", schedule.toString());
        assertEquals(List.of(112, 160, 224), schedule.sizes());
    }

    @Test
    void malformedSchedulesAreRefusedWithWhatIsWrong() {
        String[][] cases = {
            {"", "empty resize schedule"},
            {"112", "'112' is not SIZE:EPOCHS"},
            {"112:1,", "'' is not SIZE:EPOCHS"},
            {"112:1:1", "'112:1:1' is not SIZE:EPOCHS"},
            {"big:1", "size 'big' is not a whole number"},
            {"112:1.5", "epochs '1.5' is not a whole number"},
            {"0:1", "size must be 1 to 2048, got 0"},
            {"4096:1", "size must be 1 to 2048, got 4096"},
            {"112:0", "epochs must be 1 to 9999, got 0"},
            {"112:99999999999", "epochs '99999999999' is not a whole number"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResizeSchedule.parse(c[0]),
                    c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void aScheduleMustEndAtTheInputSize() {
        DataConfig data = DataConfig.of(128, 224);
        assertEquals(224, data.withResizeSchedule(ResizeSchedule.parse("112:1,224:1")).trainSize(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> data.withResizeSchedule(ResizeSchedule.parse("112:1,160:1")));
        assertTrue(e.getMessage().contains("ends at 160, not at the input size 224"), e.getMessage());
    }
}
