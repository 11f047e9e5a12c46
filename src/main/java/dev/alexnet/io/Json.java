package dev.alexnet.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.file.Path;

/** The one Gson set-up of the project: records as objects, paths as strings. */
public final class Json {

    private static final Gson COMPACT = builder().create();
    private static final Gson PRETTY = builder().setPrettyPrinting().create();

    private Json() {}

    /** Returns the compact Gson, for one-line output. */
    public static Gson compact() {
        return COMPACT;
    }

    /** Returns the indenting Gson, for files people read. */
    public static Gson pretty() {
        return PRETTY;
    }

    private static GsonBuilder builder() {
        // Nulls are written, so that every key a script relies on is present ("limit": null means none).
        return new GsonBuilder()
                .serializeNulls()
                .disableHtmlEscaping()
                .registerTypeHierarchyAdapter(Path.class, new PathAdapter());
    }

    private static final class PathAdapter extends TypeAdapter<Path> {
        @Override
        public void write(JsonWriter out, Path value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(value.toString());
            }
        }

        @Override
        public Path read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            return Path.of(in.nextString());
        }
    }
}
