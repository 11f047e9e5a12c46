package dev.alexnet.serve;

import io.javalin.http.Context;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The models a server answers for, by name, in the order they were given. */
final class ModelTable implements AutoCloseable {

    private final Map<String, ServedModel> models = new LinkedHashMap<>();

    /** Adds a model; two may not share a name. */
    void add(ServedModel model) {
        if (models.putIfAbsent(model.name(), model) != null) {
            model.close();
            throw new IllegalArgumentException("two models are called '" + model.name() + "'; name them with NAME=PATH");
        }
    }

    boolean has(String name) {
        return models.containsKey(name);
    }

    List<String> names() {
        return List.copyOf(models.keySet());
    }

    Collection<ServedModel> all() {
        return models.values();
    }

    /** Returns the model the path's {@code {name}} names; 404 naming those there are. */
    ServedModel get(Context ctx) {
        String name = ctx.pathParam("name");
        ServedModel model = models.get(name);
        if (model == null) {
            throw HttpError.notFound("no model '" + name + "' (this server has: " + String.join(", ", models.keySet()) + ")");
        }
        return model;
    }

    /** Returns the model a versioned path names; its one version is "1". */
    ServedModel versioned(Context ctx) {
        ServedModel model = get(ctx);
        if (!ctx.pathParam("version").equals("1")) {
            throw new HttpError(404, "model " + model.name() + " has no version " + ctx.pathParam("version")
                    + " (its one version is 1)");
        }
        return model;
    }

    @Override
    public void close() {
        models.values().forEach(ServedModel::close);
    }
}
