"""Chapter 1, dense layers: a neuron, a layer and a batch, then the Layer_Dense class."""
