package dev.alexnet.cli;

import dev.alexnet.bench.ServeLoad;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet load}: C concurrent clients against a running {@code alexnet serve}. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Load-test a running 'alexnet serve': C concurrent clients for T seconds (or N requests), "
                + "reporting requests/s, images/s, p50/p95/p99 latency, errors and the server's resident memory.")
final class LoadCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "The server (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--model", defaultValue = "alexnet28-quick", paramLabel = "NAME",
            description = "The model's name on the server (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--clients", defaultValue = "16", converter = Converters.PositiveInt.class, paramLabel = "C",
            description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--seconds", converter = Converters.Steps.class, paramLabel = "T",
            description = "How long to run (default: 30 unless --requests is given).")
    Integer seconds;

    @Option(names = "--requests", converter = Converters.Steps.class, paramLabel = "N",
            description = "Instead of --seconds: how many requests in all.")
    Integer requests;

    @Option(names = "--images", defaultValue = "1", converter = Converters.PositiveInt.class, paramLabel = "B",
            description = "Images per request, as one v2 FP32 tensor [B,1,28,28] (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--picture", paramLabel = "FILE",
            description = "Send this picture to /predictions/NAME instead of v2 pixels (exercises decoding).")
    Path picture;

    @Option(names = "--slow-clients", defaultValue = "0", converter = Converters.NonNegativeInt.class, paramLabel = "N",
            description = "Hostile mix: N more clients that declare a 10 MB body and send it a byte a second, "
                    + "coming back whenever the server lets go (default: ${DEFAULT-VALUE}).")
    int slowClients;

    @Option(names = "--half-open", defaultValue = "0", converter = Converters.NonNegativeInt.class, paramLabel = "N",
            description = "Hostile mix: N more clients that declare a 1,000-byte body and send one byte of it "
                    + "(default: ${DEFAULT-VALUE}).")
    int halfOpen;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token (default: $ALEXNET_TOKEN, if set).")
    String token;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ServeLoad.Config config;
        try {
            URI base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (base.getScheme() == null || !base.getScheme().startsWith("http") || base.getHost() == null) {
                throw new IllegalArgumentException("--url " + url + " is not an http:// address");
            }
            config = new ServeLoad.Config(base, model, picture != null ? ServeLoad.Payload.PICTURE
                    : ServeLoad.Payload.V2_PIXELS, images, picture, clients,
                    requests != null ? (seconds != null ? seconds : 0) : (seconds != null ? seconds : 30),
                    requests != null ? requests : 0, token != null ? token : System.getenv("ALEXNET_TOKEN"),
                    slowClients, halfOpen);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServeLoad.Result result = ServeLoad.run(config, line -> {
            err.println(line);
            err.flush();
        });
        if (json) {
            out.println(ServeLoad.json(result));
        } else {
            out.printf(Locale.ROOT, "%d clients, %d image(s) per request, %.1f s: %d requests, %d errors%n", clients,
                    images, result.seconds(), result.requests(), result.errors());
            out.printf(Locale.ROOT, "requests/s %.1f   images/s %.1f%n", result.requestsPerSecond(),
                    result.imagesPerSecond());
            out.printf(Locale.ROOT, "latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n", result.p50Ms(),
                    result.p95Ms(), result.p99Ms(), result.maxMs());
            if (slowClients + halfOpen > 0) {
                out.printf(Locale.ROOT, "hostile mix: %d slow-body and %d half-open clients (let go and back %d times)%n",
                        slowClients, halfOpen, result.hostileReconnects());
            }
            out.printf(Locale.ROOT, "health checks: %d, %d errors, p99 %.2f ms, max %.2f ms%n", result.healthChecks(),
                    result.healthErrors(), result.healthP99Ms(), result.healthMaxMs());
            if (result.rssBeforeMb() >= 0) {
                out.printf(Locale.ROOT, "server resident memory: %.0f MB before, %.0f MB after%n",
                        result.rssBeforeMb(), result.rssAfterMb());
            }
            if (result.firstError() != null) {
                out.println("first error: " + result.firstError());
            }
        }
        return result.errors() == 0 && result.healthErrors() == 0 ? 0 : AlexNetCommand.FAILURE;
    }
}
