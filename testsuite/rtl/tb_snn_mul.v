// Unit test of snn_mul: the full product rounded half up, saturated, two clocks later, for
// random signed operands; `en` low holds both stages; the LUT variant computes the same.
`timescale 1ns / 1ps
module tb_snn_mul;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg en = 1'b1;
    reg signed [9:0] a;
    reg signed [8:0] b;
    wire signed [9:0] y_dsp, y_lut;
    snn_mul #(.A_W(10), .B_W(9), .OUT_W(10), .SHIFT(7)) dsp (.clk(clk), .en(en), .a(a), .b(b), .y(y_dsp));
    snn_mul #(.A_W(10), .B_W(9), .OUT_W(10), .SHIFT(7), .USE_DSP("no")) lut (.clk(clk), .en(en), .a(a), .b(b), .y(y_lut));
    integer n, errors, seed, p;
    integer want_q [0:2];
    function integer expected(input integer av, input integer bv);
        integer prod, q;
        begin
            prod = av * bv + 64;
            q = prod >= 0 ? prod / 128 : -((-prod + 127) / 128);
            expected = q > 511 ? 511 : q < -512 ? -512 : q;
        end
    endfunction
    initial begin
        errors = 0;
        seed = 7;
        a = 0; b = 0;
        want_q[0] = 0; want_q[1] = 0; want_q[2] = 0;
        @(negedge clk);
        for (n = 0; n < 400; n = n + 1) begin
            a = $random(seed);
            b = $random(seed);
            want_q[0] = expected(a, b);
            @(negedge clk);
            // Operands set one clock ago come out now: two register stages.
            if (n >= 1 && (y_dsp !== want_q[1] || y_lut !== want_q[1])) begin
                errors = errors + 1;
                $display("FAIL step %0d: got %0d / %0d, want %0d", n, y_dsp, y_lut, want_q[1]);
            end
            want_q[2] = want_q[1];
            want_q[1] = want_q[0];
        end
        // A stall holds the result.
        p = y_dsp;
        en = 1'b0;
        a = 10'sd100; b = 9'sd100;
        repeat (3) @(negedge clk);
        if (y_dsp !== p) begin errors = errors + 1; $display("FAIL stall"); end
        // Saturation at both ends: (-512 * -256) and (-512 * 255).
        en = 1'b1;
        a = -10'sd512; b = -9'sd256;
        repeat (2) @(negedge clk);
        if (y_dsp !== 10'sd511) begin errors = errors + 1; $display("FAIL saturate high: %0d", y_dsp); end
        b = 9'sd255;
        repeat (2) @(negedge clk);
        if (y_dsp !== -10'sd512) begin errors = errors + 1; $display("FAIL saturate low: %0d", y_dsp); end
        if (errors == 0) $display("PASS snn_mul");
        $finish;
    end
endmodule
