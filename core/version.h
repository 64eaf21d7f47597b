/* tokensim version and output format version. */
#ifndef SIM_VERSION_H
#define SIM_VERSION_H
#define TOKENSIM_VERSION "0.2.0"
#define TOKENSIM_FORMAT_VERSION 1
#endif
