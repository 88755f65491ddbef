import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** One agent of `agents.json`, as the seed's `AgentConfig` (with its defaults). */
export class AgentConfig {
  @ApiProperty({ example: 'tws-specialist' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { message: 'id must be 1-64 letters, digits, dot, dash or underscore' })
  id: string;

  @ApiProperty({ example: 'TWS Specialist' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'TWS Environment Expert' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  role: string;

  @ApiProperty({ example: 'Help with TWS troubleshooting and monitoring' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  goal: string;

  @ApiProperty({ example: 'Expert in TWS operations and job scheduling' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  backstory: string;

  @ApiProperty({ example: ['tws_status_tool', 'tws_troubleshooting_tool'], type: [String] })
  @IsArray()
  @IsString({ each: true })
  tools: string[];

  @ApiProperty({ example: 'llama3:latest', default: 'llama3:latest' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  model_name: string = 'llama3:latest';

  @ApiProperty({ default: true, description: 'Use and record the knowledge graph' })
  @IsOptional()
  @IsBoolean()
  memory: boolean = true;

  @ApiProperty({ default: false })
  @IsOptional()
  @IsBoolean()
  verbose: boolean = false;
}
