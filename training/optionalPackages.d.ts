// The native TensorFlow.js packages are optionalDependencies (./tensorflow.ts): usually absent
// where Frustum is built, so their types are not either. They are only imported for what they
// register with tfjs-core.
declare module '@tensorflow/tfjs-node-gpu';
declare module '@tensorflow/tfjs-node';
