import { Global, Module } from '@nestjs/common';
import { ToolRegistry } from './tool-registry';

/** Global so that feature modules (tws, knowledge) can register tools without importing agents. */
@Global()
@Module({ providers: [ToolRegistry], exports: [ToolRegistry] })
export class ToolRegistryModule {}
