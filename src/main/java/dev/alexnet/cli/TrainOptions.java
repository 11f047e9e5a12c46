package dev.alexnet.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The flags of {@code train} that say what to train and where; {@link ConfigFlags} maps them onto a
 * {@link dev.alexnet.train.RunConfig} and shows the book's values as their defaults.
 */
final class TrainOptions {

    @Option(names = "--epochs", converter = Converters.Epochs.class, paramLabel = "N",
            description = "Passes over the training set (default: ${DEFAULT-VALUE}); with --resume, may extend the run.")
    Integer epochs;

    @Option(names = "--batch-size", converter = Converters.BatchSize.class, paramLabel = "N",
            description = "Examples per step (default: ${DEFAULT-VALUE}).")
    Integer batchSize;

    @Option(names = "--lr", converter = Converters.PositiveFloat.class, paramLabel = "RATE",
            description = "Learning rate, the peak one under a schedule (default: ${DEFAULT-VALUE}).")
    Float learningRate;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed for initialization, dropout, shuffling and augmentation (default: ${DEFAULT-VALUE}).")
    Long seed;

    @Option(names = "--checkpoint-every", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Also checkpoint every N steps (default: only at the end of each epoch).")
    Integer checkpointEvery;

    @Option(names = "--checkpoint-minutes", converter = Converters.CheckpointMinutes.class, paramLabel = "M",
            description = "Also checkpoint after every M minutes of training, so that a kill loses no more "
                    + "(default: ${DEFAULT-VALUE}; 0: only at epoch ends and --checkpoint-every).")
    Integer checkpointMinutes;

    @Option(names = "--keep", converter = Converters.PositiveInt.class, paramLabel = "K",
            description = "Keep the newest K checkpoints, plus the best by validation accuracy (default: ${DEFAULT-VALUE}).")
    Integer keep;

    @Option(names = "--optimizer", converter = Converters.OptimizerName.class, paramLabel = "sgd|adam|adamw",
            description = "Optimizer: plain SGD as the book; adam = torch.optim.Adam (betas 0.9/0.999, eps 1e-8, "
                    + "weight decay added to the gradient); adamw = torch.optim.AdamW (decoupled weight decay) "
                    + "(default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--weight-decay", converter = Converters.NonNegativeFloat.class, paramLabel = "W",
            description = "Weight decay: L2 on the gradient for sgd and adam, decoupled for adamw (default: "
                    + "${DEFAULT-VALUE}).")
    Float weightDecay;

    @Option(names = "--warmup-steps", converter = Converters.NonNegativeInt.class, paramLabel = "N",
            description = "The rate at update t is lr*t/N while t < N (default: ${DEFAULT-VALUE}).")
    Integer warmupSteps;

    @Option(names = "--cosine", arity = "0..1", paramLabel = "true|false",
            description = "After the warm-up, lr/100 + (lr - lr/100)(1 + cos(pi (t-N)/(T-N)))/2 at "
                    + "update t of T, down to 1%% by the last step; torch's LambdaLR with that factor (default: "
                    + "${DEFAULT-VALUE}).")
    Boolean cosine;

    @Option(names = "--momentum", converter = Converters.Fraction.class, paramLabel = "M",
            description = "With sgd: momentum, as torch.optim.SGD(momentum=M) (default: ${DEFAULT-VALUE}, the book's plain SGD).")
    Float momentum;

    @Option(names = "--nesterov", arity = "0..1", paramLabel = "true|false",
            description = "With sgd and a momentum: Nesterov's form, as torch.optim.SGD(nesterov=True) (default: ${DEFAULT-VALUE}).")
    Boolean nesterov;

    @Option(names = "--label-smoothing", converter = Converters.Fraction.class, paramLabel = "E",
            description = "Train on targets of 1-E for the label and E spread over all classes, as "
                    + "nn.CrossEntropyLoss(label_smoothing=E); validation loss stays plain (default: ${DEFAULT-VALUE}).")
    Float labelSmoothing;

    @Option(names = "--resize-schedule", paramLabel = "SIZE:EPOCHS,...",
            description = "Progressive resizing: train epochs at these sizes in turn, e.g. 112:1,224:1 (the first "
                    + "epoch at 112x112, the second at 224x224), ending at the network's input size; the network gets an "
                    + "adaptive average pool before its dense layers, an identity at that size. Validation is always at "
                    + "the input size; epochs after the schedule train at its last size. none: every epoch at the "
                    + "input size (default: none; the fast preset's is 160:1,224:1).")
    String resizeSchedule;

    @Option(names = "--preset", converter = Converters.PresetName.class, paramLabel = "book|fast|quick",
            description = "A tested recipe (RunConfig.preset); flags given as well override it. book: the chapter's "
                    + "(the default); fast: the book's AlexNet to the book's accuracy in a fraction of its time; "
                    + "quick: alexnet28 on the native 28x28 images, in minutes (the README lists each recipe).")
    String preset;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: a new one under runs/); never overwritten.")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its newest valid checkpoint, with its saved configuration.")
    Path resume;

    @Option(names = "--log-memory", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Print resident memory and live model arrays every N steps (stderr).")
    Integer logMemory;

    @Option(names = "--init-from", paramLabel = "FILE",
            description = "Start from these weights (safetensors or NPZ in the chapter's PyTorch naming, from "
                    + "'alexnet export' or PyTorch) instead of a random initialization.")
    Path initFrom;

    @Option(names = "--json", description = "Print one JSON object on stdout; progress goes to stderr.")
    boolean json;

    @Option(names = "--val-fraction", converter = Converters.Share.class, paramLabel = "F",
            description = "With --data folder:PATH and no train/val sub-folders: the share of each class held out "
                    + "for validation, chosen by a fixed seed (default: 0.2).")
    Double valFraction;
}
