/** Runtime internals: the bundle reader (zip, JSON, NPY), the network's layers over float arrays and per-thread scratch memory. */
package io.github.drsn.runtime.impl;
