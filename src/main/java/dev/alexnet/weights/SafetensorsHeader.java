package dev.alexnet.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a safetensors file, read and checked against the format's specification: an
 * 8-byte little-endian length, then that many bytes of JSON mapping each tensor's name to its
 * {@code dtype}, {@code shape} and {@code data_offsets} (relative to the end of the header), plus
 * an optional {@code __metadata__} object of strings; the tensors' bytes follow, back to back.
 *
 * <p>DJL writes and reads the tensors; this class exists because DJL's writer has no metadata and
 * its reader checks little, so a truncated or foreign file would fail deep inside it.
 *
 * @param tensors each tensor's description, in the order of their bytes
 * @param metadata the {@code __metadata__} strings (empty if none)
 * @param headerLength the JSON's length in bytes; the tensors' bytes start at {@code 8 + headerLength}
 */
public record SafetensorsHeader(Map<String, Tensor> tensors, Map<String, String> metadata, long headerLength) {

    /** The reserved key of the metadata object. */
    public static final String METADATA = "__metadata__";

    // The reference implementation refuses headers over 100 MB; ours are a few kilobytes.
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("F64", 8), Map.entry("F32", 4), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("I64", 8), Map.entry("I32", 4), Map.entry("I16", 2), Map.entry("I8", 1),
            Map.entry("U8", 1), Map.entry("BOOL", 1));

    /**
     * One tensor's entry.
     *
     * @param dtype the safetensors type name (F32, I64, …)
     * @param shape its dimensions ({@code []} for a scalar)
     * @param begin first byte, relative to the data section
     * @param end one past its last byte
     */
    public record Tensor(String dtype, long[] shape, long begin, long end) {

        /** Returns the number of elements. */
        public long elements() {
            long count = 1;
            for (long dimension : shape) {
                count *= dimension;
            }
            return count;
        }
    }

    /** Returns the number of bytes of tensor data the header describes. */
    public long dataBytes() {
        return tensors.values().stream().mapToLong(Tensor::end).max().orElse(0);
    }

    /**
     * Reads and checks the header at the start of {@code in}, a file of {@code fileSize} bytes.
     *
     * @throws IllegalArgumentException saying what is wrong, in words fit for one line
     */
    public static SafetensorsHeader read(InputStream in, long fileSize) throws IOException {
        if (fileSize < 10) {
            throw new IllegalArgumentException("not a safetensors file (only " + fileSize + " bytes)");
        }
        DataInputStream data = new DataInputStream(in);
        byte[] lengthBytes = new byte[8];
        data.readFully(lengthBytes);
        long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (length < 2 || length > MAX_HEADER || length > fileSize - 8) {
            throw new IllegalArgumentException("not a safetensors file (its first 8 bytes give a header of "
                    + length + " bytes in a file of " + fileSize + ")");
        }
        byte[] json = new byte[(int) length];
        data.readFully(json);
        if (json[0] != '{') {
            throw new IllegalArgumentException("not a safetensors file (the header is not a JSON object)");
        }
        SafetensorsHeader header = parse(new String(json, StandardCharsets.UTF_8), length);
        long expected = 8 + length + header.dataBytes();
        if (fileSize < expected) {
            throw new IllegalArgumentException("truncated: the header promises " + expected + " bytes, the file has "
                    + fileSize);
        }
        if (fileSize > expected) {
            throw new IllegalArgumentException("corrupt: " + (fileSize - expected)
                    + " bytes after the last tensor the header describes");
        }
        return header;
    }

    private static SafetensorsHeader parse(String json, long length) {
        JsonObject root;
        try {
            root = JsonParser.parseString(json).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("corrupt safetensors header (not valid JSON)");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Map.Entry<String, Tensor>> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonElement> entry : root.entrySet()) {
            if (METADATA.equals(entry.getKey())) {
                readMetadata(entry.getValue(), metadata);
            } else {
                tensors.add(Map.entry(entry.getKey(), readTensor(entry.getKey(), entry.getValue())));
            }
        }
        tensors.sort(Comparator.comparingLong(e -> e.getValue().begin()));
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        long next = 0;
        for (Map.Entry<String, Tensor> entry : tensors) {
            // The specification wants the tensors to tile the data section, with no holes or overlaps.
            if (entry.getValue().begin() != next) {
                throw new IllegalArgumentException("corrupt safetensors header (tensor " + entry.getKey()
                        + " starts at byte " + entry.getValue().begin() + ", expected " + next + ")");
            }
            next = entry.getValue().end();
            ordered.put(entry.getKey(), entry.getValue());
        }
        return new SafetensorsHeader(ordered, metadata, length);
    }

    private static void readMetadata(JsonElement element, Map<String, String> metadata) {
        if (!element.isJsonObject()) {
            throw new IllegalArgumentException("corrupt safetensors header (__metadata__ is not an object)");
        }
        for (Map.Entry<String, JsonElement> field : element.getAsJsonObject().entrySet()) {
            if (!field.getValue().isJsonPrimitive() || !field.getValue().getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException("corrupt safetensors header (__metadata__." + field.getKey()
                        + " is not a string)");
            }
            metadata.put(field.getKey(), field.getValue().getAsString());
        }
    }

    private static Tensor readTensor(String name, JsonElement element) {
        try {
            JsonObject object = element.getAsJsonObject();
            String dtype = object.get("dtype").getAsString();
            JsonArray dims = object.get("shape").getAsJsonArray();
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i).getAsLong();
                if (shape[i] < 0) {
                    throw new IllegalArgumentException("negative dimension");
                }
            }
            JsonArray offsets = object.get("data_offsets").getAsJsonArray();
            if (offsets.size() != 2) {
                throw new IllegalArgumentException("data_offsets needs two numbers");
            }
            Tensor tensor = new Tensor(dtype, shape, offsets.get(0).getAsLong(), offsets.get(1).getAsLong());
            Integer width = DTYPE_BYTES.get(dtype);
            if (width == null) {
                throw new IllegalArgumentException("unknown dtype " + dtype);
            }
            if (tensor.end() - tensor.begin() != width * tensor.elements()) {
                throw new IllegalArgumentException("data_offsets span " + (tensor.end() - tensor.begin())
                        + " bytes, its dtype and shape need " + width * tensor.elements());
            }
            return tensor;
        } catch (IllegalStateException | NullPointerException | UnsupportedOperationException
                | NumberFormatException e) {
            throw new IllegalArgumentException("corrupt safetensors header (tensor " + name
                    + " lacks a dtype, shape or data_offsets)");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("corrupt safetensors header (tensor " + name + ": " + e.getMessage() + ")");
        }
    }

    /**
     * Writes this header with {@code metadata} in place of its own: the length, then the JSON padded
     * with spaces to a multiple of 8 bytes, as the reference writer does, so that the tensors' bytes
     * are aligned when the file is memory-mapped.
     */
    public void writeWith(Map<String, String> newMetadata, OutputStream out) throws IOException {
        JsonObject root = new JsonObject();
        if (!newMetadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            newMetadata.forEach(meta::addProperty);
            root.add(METADATA, meta);
        }
        tensors.forEach((name, tensor) -> {
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", tensor.dtype());
            JsonArray shape = new JsonArray();
            for (long dimension : tensor.shape()) {
                shape.add(dimension);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(tensor.begin());
            offsets.add(tensor.end());
            entry.add("data_offsets", offsets);
            root.add(name, entry);
        });
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array();
        out.write(length);
        out.write(json);
        for (int i = json.length; i < padded; i++) {
            out.write(' ');
        }
    }
}
