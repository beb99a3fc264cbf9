/** Export of trained bundles as ONNX models that compute what the lean runtime computes ({@link io.github.drsn.onnx.OnnxExporter}). */
package io.github.drsn.onnx;
