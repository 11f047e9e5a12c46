package dev.alexnet.examples;

import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.train.Classifier;
import dev.alexnet.train.listener.ConsoleListener;
import dev.alexnet.train.Trainer;
import dev.alexnet.train.TrainingConfig;
import java.io.PrintWriter;
import java.util.List;

/**
 * The chapter's four lines as a library user writes them; compiled with the tests so that the
 * README's example keeps working. Running it is the full book run (hours on a CPU).
 */
public final class BookExperiment {

    private BookExperiment() {}

    public static void main(String[] args) {
        try (Classifier model = Classifier.book();                                   // model = AlexNet(lr=0.01)
                FashionMnist data = FashionMnist.load(DataConfig.book())) {          // data = d2l.FashionMNIST(batch_size=128, resize=(224, 224))
            Trainer trainer = new Trainer(TrainingConfig.book(),                     // trainer = d2l.Trainer(max_epochs=10)
                    List.of(new ConsoleListener(new PrintWriter(System.out, true))));
            trainer.fit(model, data);                                                // trainer.fit(model, data)
        }
    }
}
