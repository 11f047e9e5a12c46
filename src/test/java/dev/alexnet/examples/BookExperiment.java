package dev.alexnet.examples;

import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.Classifier;
import dev.alexnet.train.ConsoleListener;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.RunConfig;
import dev.alexnet.train.Trainer;
import java.io.PrintWriter;
import java.util.List;

/**
 * The chapter's four lines as a library user writes them, the README's example: compiled with the
 * tests, and run by {@code OneWayToTrainTest} on a small configuration, whose metrics it compares
 * with {@code alexnet train}'s (it also checks that the README shows these lines). Running
 * {@link #main} is the full book run (hours on a CPU).
 */
public final class BookExperiment {

    private BookExperiment() {}

    public static void main(String[] args) {
        fit(RunConfig.book(), new PrintWriter(System.out, true));
    }

    /** Trains what {@code config} says, printing each epoch to {@code out}; returns each epoch's metrics. */
    public static List<EpochMetrics> fit(RunConfig config, PrintWriter out) {
        try (Classifier model = new Classifier(config.model(), config.optimizer());   // model = AlexNet(lr=0.01)
                FashionMnist data = FashionMnist.load(config.data())) {              // data = d2l.FashionMNIST(batch_size=128, resize=(224, 224))
            Trainer trainer = new Trainer(config.training(),                         // trainer = d2l.Trainer(max_epochs=10)
                    List.of(new ConsoleListener(out)));
            return trainer.fit(model, data);                                         // trainer.fit(model, data)
        }
    }
}
