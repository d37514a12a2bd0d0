/* Command line parsing: argv -> struct config. No side effects beyond reading target files. */
#ifndef RT_CLI_H
#define RT_CLI_H
#endif
