import { Controller, Get } from '@nestjs/common';
import { NodeService } from './node.service';

@Controller('admin/node')
export class NodeController {
  constructor(private readonly node: NodeService) {}

  @Get()
  summary() {
    return this.node.summary();
  }
}
