/** The ONNX graph writer behind {@link io.github.drsn.onnx.OnnxExporter}: a name-returning graph builder and the network's ops. */
package io.github.drsn.onnx.impl;
