package dev.alexnet.model;

/**
 * A model's loss and accuracy over a set of examples.
 *
 * @param examples how many examples were scored
 * @param loss mean cross-entropy per example
 * @param accuracy the fraction of examples whose highest-scoring class is the label
 */
public record Evaluation(long examples, double loss, double accuracy) {}
