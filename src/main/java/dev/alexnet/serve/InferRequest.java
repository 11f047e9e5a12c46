package dev.alexnet.serve;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.alexnet.io.Messages;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Open Inference Protocol v2 infer request. It is read as a stream, so a tensor of a million
 * pixels costs a million floats, not a tree of JSON objects.
 *
 * @param id the request's id, echoed in the answer, or {@code null}
 * @param inputs the input tensors
 * @param outputs the outputs asked for (empty: all, as plain tensors)
 */
record InferRequest(String id, List<Input> inputs, List<Output> outputs) {

    /**
     * One input tensor: FP32 numbers or BYTES strings, row-major.
     *
     * @param name its name
     * @param shape its shape
     * @param datatype FP32 or BYTES
     * @param numbers the values of an FP32 tensor, else {@code null}
     * @param strings the values of a BYTES tensor, else {@code null}
     */
    record Input(String name, long[] shape, String datatype, float[] numbers, List<String> strings) {}

    /**
     * One output asked for.
     *
     * @param name its name
     * @param classification the k of Triton's classification extension, or 0 for the plain tensor
     */
    record Output(String name, int classification) {}

    /**
     * Reads a request.
     *
     * @throws HttpError 400 with the reason when it is not JSON or not an infer request
     */
    static InferRequest read(Reader body) {
        try (JsonReader json = new JsonReader(body)) {
            String id = null;
            List<Input> inputs = null;
            List<Output> outputs = new ArrayList<>();
            json.beginObject();
            while (json.hasNext()) {
                switch (json.nextName()) {
                    case "id" -> id = json.nextString();
                    case "inputs" -> inputs = readInputs(json);
                    case "outputs" -> outputs = readOutputs(json);
                    default -> json.skipValue();
                }
            }
            json.endObject();
            if (json.peek() != JsonToken.END_DOCUMENT) {
                throw HttpError.badRequest("bad JSON: more after the request object");
            }
            if (inputs == null || inputs.isEmpty()) {
                throw HttpError.badRequest("the request has no \"inputs\"");
            }
            return new InferRequest(id, inputs, outputs);
        } catch (IOException | IllegalStateException | NumberFormatException | ArithmeticException e) {
            throw HttpError.badRequest("bad JSON: " + withoutAdvice(Messages.firstLine(e.getMessage())));
        }
    }

    /** Drops the JSON library's advice to its programmers ("Use JsonReader.setStrictness(...)", "See https://..."). */
    static String withoutAdvice(String message) {
        String text = message == null ? "" : message;
        text = text.replaceAll("\\s*See https?://\\S+", "");
        text = text.replaceAll("Use JsonReader\\.set\\w+\\([^)]*\\) to accept malformed JSON ", "");
        return text.strip();
    }

    private static List<Input> readInputs(JsonReader json) throws IOException {
        List<Input> inputs = new ArrayList<>();
        json.beginArray();
        while (json.hasNext()) {
            inputs.add(readInput(json));
        }
        json.endArray();
        return inputs;
    }

    private static Input readInput(JsonReader json) throws IOException {
        String name = null;
        long[] shape = null;
        String datatype = null;
        Floats numbers = null;
        List<String> strings = null;
        json.beginObject();
        while (json.hasNext()) {
            switch (json.nextName()) {
                case "name" -> name = json.nextString();
                case "shape" -> shape = readShape(json);
                case "datatype" -> datatype = json.nextString();
                case "data" -> {
                    // the datatype may come after the data: numbers and strings are both kept apart
                    numbers = new Floats();
                    strings = new ArrayList<>();
                    readData(json, numbers, strings);
                }
                case "parameters" -> readInputParameters(json);
                default -> json.skipValue();
            }
        }
        json.endObject();
        if (name == null || shape == null || datatype == null || numbers == null) {
            throw HttpError.badRequest("an input needs \"name\", \"shape\", \"datatype\" and \"data\"");
        }
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        switch (datatype) {
            case "FP32" -> {
                if (!strings.isEmpty()) {
                    throw HttpError.badRequest("input '" + name + "' is FP32 but its data holds strings");
                }
                if (numbers.size != count) {
                    throw HttpError.badRequest("input '" + name + "' has shape " + Arrays.toString(shape) + " ("
                            + count + " values) but " + numbers.size + " values");
                }
                return new Input(name, shape, datatype, numbers.toArray(), null);
            }
            case "BYTES" -> {
                if (numbers.size > 0) {
                    throw HttpError.badRequest("input '" + name + "' is BYTES but its data holds numbers");
                }
                if (strings.size() != count) {
                    throw HttpError.badRequest("input '" + name + "' has shape " + Arrays.toString(shape) + " ("
                            + count + " values) but " + strings.size() + " values");
                }
                return new Input(name, shape, datatype, null, List.copyOf(strings));
            }
            default -> throw HttpError.badRequest("input '" + name + "' has datatype " + datatype
                    + "; this model takes FP32 pixels or BYTES image files");
        }
    }

    private static long[] readShape(JsonReader json) throws IOException {
        List<Long> dims = new ArrayList<>();
        json.beginArray();
        while (json.hasNext()) {
            // JsonReader would read "1" as 1: a shape is numbers, as the protocol says
            if (json.peek() != JsonToken.NUMBER) {
                throw HttpError.badRequest("a shape holds whole numbers, not " + json.peek().toString().toLowerCase(
                        java.util.Locale.ROOT));
            }
            long dim = json.nextLong();
            if (dim < 1 || dim > Integer.MAX_VALUE) {
                throw HttpError.badRequest("shape dimension " + dim + " is out of range (1 to " + Integer.MAX_VALUE + ")");
            }
            dims.add(dim);
            if (dims.size() > 8) {
                throw HttpError.badRequest("a shape of more than 8 dimensions");
            }
        }
        json.endArray();
        long count = 1;
        for (long dim : dims) {
            count = Math.multiplyExact(count, dim);
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static void readData(JsonReader json, Floats numbers, List<String> strings) throws IOException {
        switch (json.peek()) {
            case BEGIN_ARRAY -> {
                json.beginArray();
                while (json.hasNext()) {
                    readData(json, numbers, strings);
                }
                json.endArray();
            }
            case NUMBER -> {
                float value = (float) json.nextDouble();
                if (!Float.isFinite(value)) {
                    throw HttpError.badRequest("a value overflows FP32");
                }
                numbers.add(value);
            }
            case STRING -> strings.add(json.nextString());
            default -> throw HttpError.badRequest("\"data\" holds " + json.peek() + "; it takes numbers or strings");
        }
    }

    private static void readInputParameters(JsonReader json) throws IOException {
        json.beginObject();
        while (json.hasNext()) {
            String name = json.nextName();
            if (name.equals("binary_data_size")) {
                throw HttpError.badRequest("binary tensor data is not supported; send the values in \"data\"");
            }
            json.skipValue();
        }
        json.endObject();
    }

    private static List<Output> readOutputs(JsonReader json) throws IOException {
        List<Output> outputs = new ArrayList<>();
        json.beginArray();
        while (json.hasNext()) {
            String name = null;
            int classification = 0;
            json.beginObject();
            while (json.hasNext()) {
                switch (json.nextName()) {
                    case "name" -> name = json.nextString();
                    case "parameters" -> {
                        json.beginObject();
                        while (json.hasNext()) {
                            String parameter = json.nextName();
                            if (parameter.equals("classification")) {
                                long k = json.nextLong();
                                if (k < 1 || k > 1000) {
                                    throw HttpError.badRequest("classification " + k + " is out of range (1 to 1000)");
                                }
                                classification = (int) k;
                            } else if (parameter.equals("binary_data") && json.peek() == JsonToken.BOOLEAN) {
                                if (json.nextBoolean()) {
                                    throw HttpError.badRequest("binary tensor data is not supported; ask for JSON");
                                }
                            } else {
                                json.skipValue();
                            }
                        }
                        json.endObject();
                    }
                    default -> json.skipValue();
                }
            }
            json.endObject();
            if (name == null) {
                throw HttpError.badRequest("an output needs a \"name\"");
            }
            outputs.add(new Output(name, classification));
        }
        json.endArray();
        return outputs;
    }

    /** A growing float array. */
    private static final class Floats {
        private float[] values = new float[1024];
        private int size;

        void add(float value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = value;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
