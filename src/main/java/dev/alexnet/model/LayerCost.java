package dev.alexnet.model;

import ai.djl.ndarray.types.Shape;

/**
 * What one layer costs for a batch: parameters and their memory, the memory of its output, and
 * the arithmetic of the forward pass and of a training step.
 *
 * @param name the layer's class name
 * @param group {@code conv} for the feature extractor (every layer before the first dense one),
 *     {@code dense} for the classifier
 * @param outputShape the layer's output shape for the batch
 * @param params scalar parameters
 * @param paramBytes parameter memory in float32
 * @param activationBytes memory of the layer's output for the batch, in float32
 * @param macs multiply-accumulates of the forward pass for the batch
 * @param forwardFlops floating-point operations of the forward pass for the batch
 * @param trainFlops floating-point operations of forward plus backward (to inputs and to weights)
 */
public record LayerCost(String name, String group, Shape outputShape, long params, long paramBytes,
        long activationBytes, long macs, long forwardFlops, long trainFlops) {}
