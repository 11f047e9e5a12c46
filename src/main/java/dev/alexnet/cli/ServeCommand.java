package dev.alexnet.cli;

import dev.alexnet.serve.InferenceServer;
import dev.alexnet.serve.ModelSpec;
import dev.alexnet.serve.ServeConfig;
import dev.alexnet.weights.ShippedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet serve}: trained models over HTTP, a page to try them, and the live board of training runs. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve trained models over HTTP: Open Inference Protocol v2 (/v2/...), TorchServe-style "
                + "/predictions/NAME, Prometheus /metrics, a page to try a picture at /, and with --runs the live "
                + "training board at /runs.",
            "With no model named, serves the shipped models/alexnet28-quick.safetensors. SIGTERM or Ctrl-C lets "
                + "the requests in flight finish, then exits 0."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--weights", paramLabel = "[NAME=]PATH",
            description = "A model to serve (repeatable): a run directory written by 'alexnet train' or a safetensors/NPZ "
                    + "file; its name is the directory's, or the file's without extension, unless NAME= is given "
                    + "(default: the shipped models/alexnet28-quick.safetensors).")
    List<String> weights = new ArrayList<>();

    /** The old spelling of {@code --weights} for a run directory. */
    @Option(names = "--model-dir", hidden = true, paramLabel = "[NAME=]DIR")
    List<String> modelDirs = new ArrayList<>();

    @Option(names = "--host", defaultValue = ServeConfig.LOCALHOST, paramLabel = "ADDRESS",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every "
                    + "interface).")
    String host;

    @Option(names = "--port", defaultValue = "8080", converter = Converters.Port.class, paramLabel = "N",
            description = "The port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--runs", paramLabel = "DIR", description = "Show the run directories under DIR at /runs, live.")
    Path runs;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Fashion-MNIST, for the page's random validation image (default: the book's).")
    Path dataDir;

    @Option(names = "--max-batch", defaultValue = "32", converter = Converters.MaxBatch.class, paramLabel = "N",
            description = "Most images run as one engine batch (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-delay-ms", defaultValue = "5", converter = Converters.DelayMillis.class, paramLabel = "MS",
            description = "Longest a batch waits for the next request to join it, while more are expected (default: ${DEFAULT-VALUE}).")
    int maxDelayMs;

    @Option(names = "--max-body-mb", defaultValue = "10", converter = Converters.BodyMegabytes.class, paramLabel = "MB",
            description = "Largest request body; larger ones get 413 (default: ${DEFAULT-VALUE}).")
    int maxBodyMb;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Require 'Authorization: Bearer TOKEN' (or ?token=TOKEN) on every request but the pages "
                    + "and health checks. The environment variable ALEXNET_TOKEN works too, and keeps it out of "
                    + "the process list.")
    String token;

    @Option(names = "--drain-seconds", defaultValue = "20", converter = Converters.DrainSeconds.class, paramLabel = "S",
            description = "On SIGTERM or Ctrl-C, wait at most S seconds for the requests in flight (default: "
                    + "${DEFAULT-VALUE}, inside Kubernetes' 30-second grace).")
    int drainSeconds;

    @Option(names = "--memory-budget-mb", defaultValue = "256", converter = Converters.BudgetMegabytes.class,
            paramLabel = "MB", description = "Heap that requests in flight may hold at once, counted as their bodies "
                    + "arrive and before their pictures are decoded; past it requests wait a moment, then get 503 "
                    + "with Retry-After, and /v2/health/ready says not ready (default: ${DEFAULT-VALUE}).")
    int memoryBudgetMb;

    @Option(names = "--max-connections", defaultValue = "2048", converter = Converters.Connections.class,
            paramLabel = "N", description = "Connections open at once; more wait to be accepted (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-connections-per-client", defaultValue = "512", converter = Converters.Connections.class,
            paramLabel = "N", description = "Connections open at once from one address; more are closed as they "
                    + "open (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerClient;

    @Mixin
    ComputeOptions compute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String bearer = token != null ? token : System.getenv("ALEXNET_TOKEN");
        ServeConfig config;
        List<ModelSpec> specs = new ArrayList<>();
        try {
            config = new ServeConfig(host, port, maxBatch, maxDelayMs, maxBodyMb * 1024L * 1024L, bearer, runs, dataDir,
                    ServeConfig.Limits.DEFAULT.withConnections(maxConnections, maxConnectionsPerClient)
                            .withMemoryBudget(memoryBudgetMb * 1024L * 1024L));
            if (!modelDirs.isEmpty()) {
                AlexNetCommand.renamed(spec, "--model-dir [NAME=]DIR", "--weights [NAME=]DIR");
            }
            modelDirs.forEach(text -> specs.add(ModelSpec.parse(text, true)));
            weights.forEach(text -> specs.add(ModelSpec.parse(text)));
            if (specs.isEmpty()) {
                specs.add(new ModelSpec(ShippedModel.NAME, ShippedModel.path(), false));
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (bearer == null && !InferenceServer.isLoopback(config.host())) {
            err.println("warning: serving on " + config.host() + " without a token: anyone who can reach this machine "
                    + "can use the models and read the board; set ALEXNET_TOKEN (or --token) to require one");
            err.flush();
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (InferenceServer server = InferenceServer.start(config, specs, compute.apply(), line -> {
            out.println(line);
            out.flush();
        })) {
            StopSignals.onStop(stop::countDown, err, "stopping: finishing the requests in flight");
            out.printf("listening on http://%s:%d/ (models: %s)%n", hostForUrl(config.host()), server.port(),
                    String.join(", ", server.modelNames()));
            out.flush();
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.drainAndStop(drainSeconds * 1000L);
            out.println("stopped");
            out.flush();
        } finally {
            StopSignals.clear();
        }
        return 0;
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
