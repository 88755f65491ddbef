import { IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { createValidationPipe } from './validation';
import { ValidationFailedError } from './domain-error';

class Inner {
  @IsString({ message: 'text is required' })
  @MinLength(2, { message: 'text is too short' })
  text: string;
}

class Body {
  @IsString({ message: 'question is required' })
  @MinLength(1, { message: 'question is required' })
  @MaxLength(5, { message: 'question is too long' })
  question: string;

  @ValidateNested()
  @Type(() => Inner)
  inner: Inner;
}

describe(createValidationPipe.name, () => {
  const sut = createValidationPipe();
  const validate = async (value: unknown): Promise<ValidationFailedError> => {
    try {
      await sut.transform(value, { type: 'body', metatype: Body });
    } catch (error) {
      return error as ValidationFailedError;
    }
    throw new Error('expected the body to be refused');
  };

  it('reports a missing field once, as missing, without the rules it could not meet', async () => {
    const error = await validate({ inner: { text: 'ok' } });
    expect(error.message).toBe('question is required');
    expect(error.details).toEqual([{ field: 'question', problems: ['question is required'] }]);
  });

  it('lists each distinct problem of a present value, and names nested fields by path', async () => {
    const error = await validate({ question: 'far too long', inner: { text: 1 } });
    expect(error.details).toEqual([
      { field: 'question', problems: ['question is too long'] },
      { field: 'inner.text', problems: ['text is required', 'text is too short'] },
    ]);
    expect(error.message).toBe('question is too long; text is required');
  });

  it('refuses properties the contract does not have', async () => {
    const error = await validate({ question: 'ok', inner: { text: 'ok' }, extra: 1 });
    expect(error.details).toEqual([{ field: 'extra', problems: ['property extra should not exist'] }]);
  });
});
