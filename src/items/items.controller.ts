import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ClientOrPeerRoute } from '../auth/auth.decorators';
import { BodyWithData, JsonText } from '../http/data-body';
import { jsonAnswer } from '../http/json-answer';
import { BulkWriter } from './bulk-writer';
import { ItemView } from './item.view';
import { BatchBody, CreateItemBody, ItemIdParams, ListItemsQuery, PutItemBody } from './items.dto';
import { ItemsService } from './items.service';

function withEtag(res: Response, item: ItemView): ItemView {
  res.setHeader('ETag', `"${item.fingerprint}"`);
  return item;
}

@Controller('items')
export class ItemsController {
  constructor(
    private readonly items: ItemsService,
    private readonly bulkWriter: BulkWriter,
  ) {}

  @Get()
  list(@Query() query: ListItemsQuery) {
    return this.items.list(query.limit, query.after);
  }

  @Post()
  async create(@BodyWithData(CreateItemBody) body: CreateItemBody, @Res({ passthrough: true }) res: Response) {
    const item = await this.items.create(body.id, body.data);
    res.status(201).setHeader('Location', item.uri);
    return withEtag(res, item);
  }

  @Post('batch')
  @ClientOrPeerRoute()
  @HttpCode(200)
  async batch(@Body() body: BatchBody) {
    return jsonAnswer(await this.items.batch(body.ids, body.withData));
  }

  @Post('bulk')
  @HttpCode(200)
  bulk(@JsonText() text: string) {
    return this.bulkWriter.write(text);
  }

  @Get(':id')
  async get(@Param() params: ItemIdParams, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.items.get(params.id));
  }

  @Put(':id')
  async put(
    @Param() params: ItemIdParams,
    @BodyWithData(PutItemBody) body: PutItemBody,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { item, created } = await this.items.put(params.id, body.data, ifMatch);
    if (created) res.status(201).setHeader('Location', item.uri);
    return withEtag(res, item);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param() params: ItemIdParams, @Headers('if-match') ifMatch: string | undefined) {
    await this.items.remove(params.id, ifMatch);
  }
}
