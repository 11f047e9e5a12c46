package dev.alexnet.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;

/**
 * LeNet-5 as the book's LeNet chapter builds it, and the modern variant of the AlexNet chapter's
 * seventh exercise.
 *
 * <p>The book's: 6 5×5 convolutions (padding 2), sigmoid, 2×2 average pooling; 16 5×5 convolutions,
 * sigmoid, average pooling; dense 120, sigmoid; dense 84, sigmoid; dense 10 — 61,706 parameters on
 * 28×28 inputs. The modern one swaps sigmoid for ReLU and average for max pooling, and adds dropout
 * after the hidden dense layers. Initialization as the book's {@code init_cnn}.
 */
public final class LeNet {

    private LeNet() {}

    /** Builds the book's LeNet-5. */
    public static SequentialBlock build(int numClasses) {
        SequentialBlock net = new SequentialBlock()
                .add(AlexNet.conv(6, 5, 1, 2)).add(sigmoid()).add(Pooling.avg(2, 2))
                .add(AlexNet.conv(16, 5, 1, 0)).add(sigmoid()).add(Pooling.avg(2, 2))
                .add(AlexNet.flatten())
                .add(AlexNet.dense(120)).add(sigmoid())
                .add(AlexNet.dense(84)).add(sigmoid())
                .add(AlexNet.dense(numClasses));
        BookInitialization.apply(net);
        return net;
    }

    /** Builds LeNet-5 with ReLU, max pooling and dropout 0.5 after the hidden dense layers. */
    public static SequentialBlock modern(int numClasses) {
        SequentialBlock net = new FastSequentialBlock()
                .add(AlexNet.conv(6, 5, 1, 2)).add(AlexNet.relu()).add(Pooling.max(2, 2))
                .add(AlexNet.conv(16, 5, 1, 0)).add(AlexNet.relu()).add(Pooling.max(2, 2))
                .add(AlexNet.flatten())
                .add(AlexNet.dense(120)).add(AlexNet.relu()).add(AlexNet.dropout())
                .add(AlexNet.dense(84)).add(AlexNet.relu()).add(AlexNet.dropout())
                .add(AlexNet.dense(numClasses));
        BookInitialization.apply(net);
        return net;
    }

    static Block sigmoid() {
        return LambdaBlock.singleton(Activation::sigmoid, "Sigmoid");
    }
}
