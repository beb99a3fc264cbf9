/** MATLAB v5 MAT-files (uncompressed or zlib-compressed) read through the MFL library into recordings. */
package io.github.drsn.datasets.mat;
