package dev.alexnet.serve;

import dev.alexnet.data.PictureDecoder;
import dev.alexnet.predict.ImageInput;
import dev.alexnet.predict.Predictor;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * What both protocols and the page do with a request that carries images: read its body without holding
 * a thread, parse and decode it on one of the server's worker threads (as many as there are cores) within
 * the memory budget and the decoding deadline, queue its images for the model's batcher, and write the
 * answer; no thread waits while the client sends or the network runs.
 */
final class Inference {

    /** The longest a request waits for the network's answer (then 503). */
    static final long ANSWER_TIMEOUT_SECONDS = 120;

    private final ServeConfig config;
    private final Admission admission;
    private final Bodies bodies;
    private final ExecutorService workers;

    Inference(ServeConfig config, Admission admission, Bodies bodies, ExecutorService workers) {
        this.config = config;
        this.admission = admission;
        this.bodies = bodies;
        this.workers = workers;
    }

    Bodies bodies() {
        return bodies;
    }

    /**
     * Answers a request for {@code model} asynchronously: once its body has arrived, {@code work} runs on a
     * worker thread and returns the future of the answer it writes. The body's budget is held, and the
     * batcher expects the request, until that future completes.
     */
    void answer(Context ctx, ServedModel model, Function<Bodies.Body, CompletableFuture<?>> work) {
        ctx.future(() -> bodies.read(ctx).thenComposeAsync(body -> {
            Ticket expected = model.open();
            CompletableFuture<?> answered;
            try {
                answered = work.apply(body);
            } catch (RuntimeException e) {
                answered = CompletableFuture.failedFuture(e);
            }
            return answered.whenComplete((result, failure) -> {
                expected.close();
                body.close();
            });
        }, workers));
    }

    /** Runs {@code then} on a worker thread with the answer (so that writing it never holds the batcher up). */
    <T> CompletableFuture<Void> then(CompletableFuture<T> answer, java.util.function.Consumer<T> then) {
        return answer.thenAcceptAsync(then, workers);
    }

    /**
     * Decodes the pictures of one request into the network's input: refused with 413 when their headers say
     * they hold more than {@link ServeConfig#MAX_PIXELS_PER_REQUEST} pixels, or decoding them or the input
     * they make would take more than half the memory budget; what decoding holds is taken from the budget
     * before any pixel is decoded; refused with 422 when they take longer than the decoding limit.
     */
    Batcher.Images decode(ServedModel model, List<byte[]> pictures, List<String> names, ImageInput.Invert invert) {
        int count = pictures.size();
        long values = (long) count * model.channels() * model.pictureSide() * model.pictureSide();
        if (values * Float.BYTES > config.limits().memoryBudgetBytes() / 2) {
            throw new HttpError(413, String.format(Locale.ROOT, "%d pictures at %dx%dx%d need %d MB as the network's "
                    + "input, more than a request may take of the server's %d MB", count, model.channels(),
                    model.pictureSide(), model.pictureSide(), values * Float.BYTES >> 20,
                    config.limits().memoryBudgetBytes() / 2 >> 20));
        }
        long pixels = 0;
        long bytes = values * Float.BYTES;
        for (int i = 0; i < count; i++) {
            PictureDecoder.Header header = PictureDecoder.header(pictures.get(i), names.get(i));
            pixels += (long) header.width() * header.height();
            bytes += header.decodingBytes(ImageInput.decodeSide(model.config()));
        }
        if (pixels > ServeConfig.MAX_PIXELS_PER_REQUEST) {
            throw new HttpError(413, String.format(Locale.ROOT, "the pictures of this request hold %.1f megapixels; "
                    + "a request may carry at most %d", pixels / 1e6, ServeConfig.MAX_PIXELS_PER_REQUEST / 1_000_000));
        }
        if (bytes > config.limits().memoryBudgetBytes() / 2) {
            throw new HttpError(413, String.format(Locale.ROOT, "decoding these pictures needs about %d MB (a progressive "
                    + "JPEG holds all its pixels while decoded), more than a request may take of the server's %d MB",
                    bytes >> 20, config.limits().memoryBudgetBytes() / 2 >> 20));
        }
        long millis = config.limits().decodeMillis();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        float[] input = new float[(int) values];
        try (Ticket decoding = admission.take((int) Math.max(1, (bytes + 1023) / 1024))) {
            for (int i = 0; i < count; i++) {
                float[] one = model.prepare(pictures.get(i), names.get(i), invert, deadline);
                System.arraycopy(one, 0, input, i * one.length, one.length);
            }
        } catch (PictureDecoder.TooSlow e) {
            throw new HttpError(422, String.format(Locale.ROOT, "the pictures of this request took longer than %.1f s "
                    + "to decode (%s)", millis / 1000.0, e.getMessage()));
        }
        return model.pictures(input, count);
    }

    /** Queues images for the network; the answer, or 503 when the network has not answered in time. */
    CompletableFuture<List<List<Predictor.Prediction>>> predict(ServedModel model, Batcher.Images images) {
        CompletableFuture<List<List<Predictor.Prediction>>> answer = model.predict(images);
        return answer.orTimeout(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS).exceptionally(failure -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
                throw new HttpError(503, "the model did not answer within " + ANSWER_TIMEOUT_SECONDS + " s");
            }
            throw failure instanceof CompletionException completion ? completion : new CompletionException(cause);
        });
    }

    /**
     * Answers a request that carries one picture (the multipart field {@code data}, or the raw body):
     * {@code write} gets the network's input and the picture's answer, every class, most probable first.
     */
    void classifyPicture(Context ctx, ServedModel model,
            java.util.function.BiConsumer<float[], List<Predictor.Prediction>> write) {
        ImageInput.Invert invert = invert(ctx);
        answer(ctx, model, body -> {
            Batcher.Images images = decode(model, List.of(bodies.picture(body)), List.of("the picture"), invert);
            return then(predict(model, images), answers -> write.accept(images.pixels(), answers.get(0)));
        });
    }

    /** The query's {@code invert}: auto (the default), yes or no. */
    static ImageInput.Invert invert(Context ctx) {
        String text = ctx.queryParam("invert");
        if (text == null) {
            return ImageInput.Invert.AUTO;
        }
        try {
            return ImageInput.Invert.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("invert '" + text + "' is not auto, yes or no");
        }
    }

    /** An answer as a list of {@code {"className", "probability"}}, TorchServe's and the page's form. */
    static List<Map<String, Object>> classifications(List<Predictor.Prediction> answer) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Predictor.Prediction prediction : answer) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("className", prediction.label());
            entry.put("probability", prediction.probability());
            list.add(entry);
        }
        return list;
    }
}
